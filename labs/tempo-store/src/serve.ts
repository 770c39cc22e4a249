// Running the store in the foreground: flags and environment to options, a ready line, and a clean stop
// on SIGINT/SIGTERM. Shared by `main.ts` (spawned by the lab's supervisor) and `dojo tempo serve`.
import { parseArgs } from 'node:util';
import { parseStepNs } from './params.ts';
import { type RunningStore, type StoreOptions, startStore } from './server.ts';

export type ServeConfig = StoreOptions;

/** Tempo's own default ports; the lab passes its ports explicitly, so these serve a store run by hand. */
const tempoPorts = { http: 3200, otlpHttp: 4318, otlpGrpc: 4317 };

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

function parseSize(raw: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m ? sizeUnits[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new Error(`--${flag} "${raw}" is not a size: use bytes or e.g. 512MiB, 1GB`);
  return Math.floor(Number(m[1]) * unit);
}

function parsePort(raw: string, flag: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new Error(`--${flag} "${raw}" is not a port (0-65535)`);
  return n;
}

export const serveUsage = `tempo-store [--host 127.0.0.1] [--http-port N] [--otlp-http-port N] [--otlp-grpc-port N]
  [--multitenancy] [--max-age 1h] [--max-bytes 256MiB] [--max-bytes-per-trace 5MB] [--max-request-bytes 20MiB]
Ports default to Tempo's (3200, 4318, 4317) plus DOJO_PORT_OFFSET.`;

/** Options from argv and the environment; throws an Error whose message is one line for the user. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): StoreOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        'http-port': { type: 'string' },
        'otlp-http-port': { type: 'string' },
        'otlp-grpc-port': { type: 'string' },
        multitenancy: { type: 'boolean' },
        'max-age': { type: 'string' },
        'max-bytes': { type: 'string' },
        'max-bytes-per-trace': { type: 'string' },
        'max-request-bytes': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message.split('\n')[0]} (usage: ${serveUsage.split('\n')[0]})`);
  }
  const offset = Number(env.DOJO_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50000) {
    throw new Error(`DOJO_PORT_OFFSET must be a whole number from 0 to 50000, got "${env.DOJO_PORT_OFFSET}"`);
  }
  const port = (flag: string, base: number) =>
    typeof values[flag] === 'string' ? parsePort(values[flag] as string, flag) : base + offset;
  const limits: StoreOptions['limits'] = {};
  if (typeof values['max-age'] === 'string') {
    const ns = parseStepNs(values['max-age']);
    if (ns === undefined || ns === 0n)
      throw new Error(`--max-age "${values['max-age']}" is not a duration: use e.g. 30m, 2h`);
    limits.maxAgeMs = Number(ns / 1_000_000n);
  }
  if (typeof values['max-bytes'] === 'string') limits.maxBytes = parseSize(values['max-bytes'], 'max-bytes');
  if (typeof values['max-bytes-per-trace'] === 'string') {
    limits.maxBytesPerTrace = parseSize(values['max-bytes-per-trace'], 'max-bytes-per-trace');
  }
  const options: StoreOptions = {
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
    httpPort: port('http-port', tempoPorts.http),
    otlpHttpPort: port('otlp-http-port', tempoPorts.otlpHttp),
    otlpGrpcPort: port('otlp-grpc-port', tempoPorts.otlpGrpc),
    multitenancy: values.multitenancy === true,
    limits,
  };
  if (typeof values['max-request-bytes'] === 'string') {
    options.maxRequestBytes = parseSize(values['max-request-bytes'], 'max-request-bytes');
  }
  return options;
}

/** Why the store could not start, in one line a user can act on. */
export function startFailure(e: unknown, options: StoreOptions): string {
  const err = e as NodeJS.ErrnoException & { port?: number };
  if (err.code === 'EADDRINUSE' || /address already in use|No address added/i.test(err.message)) {
    const ports = `${options.httpPort}, ${options.otlpHttpPort}, ${options.otlpGrpcPort}`;
    return `a port the store needs is in use (${ports}): stop the other Tempo or lab, or set DOJO_PORT_OFFSET`;
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
    return `cannot listen on host "${options.host}": ${err.message}`;
  if (err.code === 'EACCES')
    return `not allowed to listen on those ports (${err.message}): use ports above 1024`;
  return `the store could not start: ${err.message}`;
}

/**
 * Starts the store and prints where it listens: `line` is one machine-readable ready line for a supervisor
 * (`tempo-store ready {json}`), `human` a few lines for a person. Resolves when stopped by a signal.
 */
export async function serve(
  options: StoreOptions,
  format: 'line' | 'human',
  out = process.stdout,
): Promise<void> {
  const running: RunningStore = await startStore(options);
  const { tempo, otlpHttp, otlpGrpc } = running.urls;
  if (format === 'line') {
    out.write(`tempo-store ready ${JSON.stringify({ tempo, otlpHttp, otlpGrpc, pid: process.pid })}\n`);
  } else {
    out.write(
      `Tempo-compatible store running (Ctrl-C to stop)\n` +
        `  Tempo API  ${tempo}   (TEMPO_URL)\n` +
        `  OTLP/HTTP  ${otlpHttp}   (OTEL_EXPORTER_OTLP_ENDPOINT)\n` +
        `  OTLP/gRPC  ${otlpGrpc}\n` +
        `  retention  ${Math.round(running.store.limits.maxAgeMs / 60_000)} min, ` +
        `${Math.round(running.store.limits.maxBytes / 1024 ** 2)} MiB` +
        `${options.multitenancy ? '; multi-tenant (X-Scope-OrgID required)' : ''}\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
