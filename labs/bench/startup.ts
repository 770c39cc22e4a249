// Benchmark: `dojo lab up` in local mode, from the command to the lab "running" and to the first trace
// being searchable in Tempo (TraceQL by trace id). Runs its own isolated lab (own ports and state dir)
// twice: the first start after the benchmark begins, then a second with the OS file cache warm. The local
// lab keeps no state between starts (PostgreSQL is initialised and seeded each time), so only the file
// cache and the Tempo binary, which must already be built, are shared.
// Without a Tempo binary it measures to the first span exported instead, and says so.
// Run: npm run bench:startup -- --runs 2
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { OtlpSink } from '../../sample-app/test/support/otlp-sink.ts';
import { portsFor, tempoUrl } from '../src/lab-config.ts';
import { isolatedLab, runDojo, tempoBinaryForTests } from '../test/integration/lab-harness.ts';
import { seconds } from './stats.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2' }, timeout: { type: 'string', default: '120' } },
});
const runs = Number(values.runs);
const timeoutMs = Number(values.timeout) * 1000;
const tempoBin = tempoBinaryForTests();
const sink = tempoBin ? undefined : await new OtlpSink().start();
const target = tempoBin ? 'first trace searchable in Tempo' : 'first span exported (no Tempo binary here)';

async function firstTrace(env: NodeJS.ProcessEnv): Promise<void> {
  const web = `http://127.0.0.1:${portsFor(env).web}`;
  const tempo = tempoUrl(env);
  const deadline = Date.now() + timeoutMs;
  const traceId = randomBytes(16).toString('hex');
  const res = await fetch(`${web}/`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  });
  await res.arrayBuffer();
  const q = encodeURIComponent(`{ trace:id = "${traceId}" }`);
  const since = Math.floor(Date.now() / 1000) - 60;
  while (Date.now() < deadline) {
    if (sink) {
      if (sink.trace(traceId).length > 0) return;
    } else {
      const found = await fetch(`${tempo}/api/search?q=${q}&start=${since}&end=${since + 3600}`)
        .then(async (r) => (r.ok ? ((await r.json()) as { traces?: unknown[] }).traces?.length : 0))
        .catch(() => 0);
      if (found) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no trace within ${values.timeout} s of the lab running`);
}

process.stdout.write(`Lab start-up, local mode, ${runs} starts: to "running" and to the ${target}\n`);
const rows: { running: number; first: number }[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const lab = await isolatedLab(
      sink
        ? {
            TEMPO_URL: sink.url,
            OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          }
        : { DOJO_TEMPO_BIN: tempoBin },
    );
    try {
      const started = Date.now();
      const up = await runDojo(['lab', 'up', '--no-load', ...(sink ? ['--external-tempo'] : [])], lab.env);
      if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr.trim().split('\n').at(-1)}`);
      const running = Date.now() - started;
      await firstTrace(lab.env);
      const first = Date.now() - started;
      rows.push({ running, first });
      process.stdout.write(
        `  start ${run}: running after ${seconds(running)}, ${target} after ${seconds(first)}\n`,
      );
    } finally {
      await lab.cleanup();
    }
  }
} finally {
  await sink?.stop();
}
const [cold, ...warm] = rows;
const best = warm.length ? Math.min(...warm.map((r) => r.first)) : Number.NaN;
process.stdout.write(
  `  first start ${seconds(cold!.first)}, later starts best ${seconds(best)} (goal ≤ 30 s warm${tempoBin ? '' : '; Tempo not included'})\n`,
);
process.stdout.write(`  reproduce: npm run bench:startup -- --runs ${runs}\n`);
