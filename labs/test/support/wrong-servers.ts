// Small real HTTP servers on ephemeral ports for the bad-input suite: servers that are not Tempo (a web
// page, a 404 site, plain text), Tempo-shaped ones that misbehave (500, 400, 503, odd JSON, resets), a
// Tempo-like one whose data holds control characters, and a port where nothing listens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../../src/port-guard.ts';

const page =
  '<!DOCTYPE html>\n<html>\n<head><title>Welcome</title></head>\n<body>\n<h1>It works!</h1>\n<p>This is a web server.</p>\n</body>\n</html>\n';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const send = (res: ServerResponse, status: number, type: string, body: string) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};
/** Tempo's own /ready answer; everything else is up to the server. */
const tempoLike =
  (rest: Handler): Handler =>
  (req, res) =>
    req.url === '/ready' ? send(res, 200, 'text/plain; charset=utf-8', 'ready\n') : rest(req, res);

const handlers = {
  html200: (_req, res) => send(res, 200, 'text/html; charset=utf-8', page),
  html404: (_req, res) => send(res, 404, 'text/html; charset=utf-8', page.replace('It works!', 'Not Found')),
  text200: tempoLike((_req, res) => send(res, 200, 'text/plain', 'hello from a plain server\n')),
  wrongJson: tempoLike((_req, res) => send(res, 200, 'application/json', '{"traces":"none here"}')),
  err500: tempoLike((_req, res) => send(res, 500, 'text/plain', 'boom\ngoroutine 1 [running]:\n')),
  reject400: tempoLike((_req, res) =>
    send(res, 400, 'text/plain', 'invalid TraceQL query: parse error at line 1, col 3\nmore detail\n'),
  ),
  starting503: (_req, res) =>
    send(res, 503, 'text/plain', 'Ingester not ready: waiting for 15s after being ready\n'),
  reset: (req) => req.socket.destroy(),
  missingTrace: tempoLike((req, res) =>
    req.url?.startsWith('/api/traces/')
      ? send(res, 404, 'text/plain', 'trace not found\n')
      : send(res, 200, 'application/json', '{"traces":[]}'),
  ),
  controlChars: tempoLike((_req, res) =>
    send(
      res,
      200,
      'application/json',
      JSON.stringify({
        traces: [
          {
            traceID: 'abc123',
            rootServiceName: 'web\u001b[2J\u0007',
            rootTraceName: 'GET /\u001b]0;pwned\u0007',
            startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
            durationMs: 12,
            spanSet: { matched: 1, spans: [] },
          },
        ],
      }),
    ),
  ),
} satisfies Record<string, Handler>;

export type ServerKind = keyof typeof handlers | 'unreachable';

export interface WrongServers {
  url: Record<ServerKind, string>;
  close: () => Promise<void>;
}

export async function startWrongServers(): Promise<WrongServers> {
  const servers: Server[] = [];
  const url = {} as Record<ServerKind, string>;
  for (const [kind, handler] of Object.entries(handlers)) {
    const server = createServer(handler as Handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    url[kind as ServerKind] = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  url.unreachable = `http://127.0.0.1:${await freePort()}`;
  return {
    url,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    },
  };
}
