// The network link between web and api, on real sockets: it relays untouched when healthy, holds a
// request back without slowing the server, resets a connection before the server sees the request,
// and web's HTTP client re-sends a reset GET (never a POST).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { httpJson } from '../src/http-client.ts';
import { createLink, type LinkFaults } from '../src/netproxy/link.ts';

let upstream: Server;
const seen: { path: string; handledMs: number }[] = [];

before(async () => {
  upstream = createServer((req, res) => {
    const started = performance.now();
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
      seen.push({ path: String(req.url), handledMs: performance.now() - started });
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
});
after(() => {
  upstream.closeAllConnections();
  upstream.close();
});

/** A link in front of the upstream; `rolls` are the dice it throws, in order (then 0.99: no fault). */
async function link(faults: LinkFaults, rolls: number[] = []): Promise<{ url: string; server: net.Server }> {
  const server = createLink({
    upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
    faults,
    delayMs: [400, 400],
    resetAfterMs: [20, 20],
    random: () => rolls.shift() ?? 0.99,
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const sockets = new Set<net.Socket>();
/** Stops the link; the client's idle keep-alive connections are cut rather than waited for. */
function close(s: net.Server): Promise<void> {
  const done = new Promise<void>((r) => s.close(() => r()));
  for (const socket of sockets) socket.destroy();
  return done;
}

test('healthy: the link relays requests and answers untouched, without delay', async () => {
  const { url, server } = await link({ delayShare: 0, resetShare: 0 });
  const started = performance.now();
  for (let i = 0; i < 5; i++) {
    const res = await httpJson<{ path: string }>('GET', `${url}/ping/${i}`);
    assert.deepEqual(res, { status: 200, body: { path: `/ping/${i}` } });
  }
  assert.ok(performance.now() - started < 300, `5 requests took ${performance.now() - started} ms`);
  await close(server);
});

test('a held-back request is slow for the client while the server handles it fast', async () => {
  // First roll: delay (below delayShare); each later request rolls 0.99 and passes at once.
  const { url, server } = await link({ delayShare: 0.5, resetShare: 0 }, [0.2]);
  seen.length = 0;
  const started = performance.now();
  await httpJson('GET', `${url}/slow`);
  const clientMs = performance.now() - started;
  assert.ok(clientMs >= 390, `client waited ${clientMs.toFixed(0)} ms`);
  assert.ok(seen[0]!.handledMs < 50, `server took ${seen[0]!.handledMs.toFixed(0)} ms`);
  const second = performance.now();
  await httpJson('GET', `${url}/fast`);
  assert.ok(performance.now() - second < 200, 'the next request on the link was held back too');
  await close(server);
});

test('a reset connection fails the request with ECONNRESET before the server sees it', async () => {
  const { url, server } = await link({ delayShare: 0, resetShare: 1 }, [0.1]);
  seen.length = 0;
  await assert.rejects(httpJson('GET', `${url}/doomed`), (e: NodeJS.ErrnoException) => {
    assert.equal(e.code, 'ECONNRESET');
    return true;
  });
  assert.deepEqual(seen, []);
  await close(server);
});

test("web's client re-sends a reset GET and succeeds; POSTs pass the link untouched", async () => {
  const { url, server } = await link({ delayShare: 0, resetShare: 0.5 }, [0.1]);
  seen.length = 0;
  const res = await httpJson<{ path: string }>('GET', `${url}/retried`, { retries: 2 });
  assert.equal(res.status, 200);
  assert.deepEqual(
    seen.map((s) => s.path),
    ['/retried'],
  );
  await close(server);

  // POST is never re-sent (it may have been half-done), and the link leaves POSTs alone anyway.
  const post = await link({ delayShare: 0, resetShare: 1 }, [0.1]);
  const res2 = await httpJson('POST', `${post.url}/order`, { body: { a: 1 }, retries: 2 });
  assert.equal(res2.status, 200);
  await close(post.server);
});
