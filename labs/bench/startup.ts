// Benchmark: `dojo lab up` in local mode, from the command to the lab "running" and to the first trace
// being searchable in its Tempo (TraceQL by trace id): the lab's store, or a real Tempo with
// DOJO_TEMPO_BIN. Runs its own isolated lab (own ports and state dir) several times: the first start after
// the benchmark begins, then starts with the OS file cache warm. The local lab keeps no state between
// starts (PostgreSQL is initialised and seeded each time), so only the file cache is shared.
// Run: npm run bench:startup -- --runs 2
import { parseArgs } from 'node:util';
import { portsFor, tempoUrl } from '@dojo/course';
import { isolatedLab, runDojo, tempoUnderTest } from '@dojo/labs/testing';
import { seconds } from './stats.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2' }, timeout: { type: 'string', default: '120' } },
});
const runs = Number(values.runs);
const timeoutMs = Number(values.timeout) * 1000;

async function firstTrace(env: NodeJS.ProcessEnv): Promise<void> {
  const web = `http://127.0.0.1:${portsFor(env).web}`;
  const tempo = tempoUrl(env);
  const deadline = Date.now() + timeoutMs;
  // A shopper's request: web starts the trace and names it in its traceresponse header.
  const res = await fetch(`${web}/`);
  await res.arrayBuffer();
  const traceId = res.headers.get('traceresponse')?.split('-')[1];
  if (!traceId) throw new Error('web sent no traceresponse header: is tracing off (OTEL_SDK_DISABLED)?');
  const q = encodeURIComponent(`{ trace:id = "${traceId}" }`);
  const since = Math.floor(Date.now() / 1000) - 60;
  while (Date.now() < deadline) {
    const found = await fetch(`${tempo}/api/search?q=${q}&start=${since}&end=${since + 3600}`)
      .then(async (r) => (r.ok ? ((await r.json()) as { traces?: unknown[] }).traces?.length : 0))
      .catch(() => 0);
    if (found) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no trace within ${values.timeout} s of the lab running`);
}

process.stdout.write(
  `Lab start-up, local mode with ${tempoUnderTest()}, ${runs} starts: to "running" and to the first trace searchable\n`,
);
const rows: { running: number; first: number }[] = [];
for (let run = 1; run <= runs; run++) {
  const lab = await isolatedLab();
  try {
    const started = Date.now();
    const up = await runDojo(['lab', 'up', '--no-load'], lab.env);
    if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr.trim().split('\n').at(-1)}`);
    const running = Date.now() - started;
    await firstTrace(lab.env);
    const first = Date.now() - started;
    rows.push({ running, first });
    process.stdout.write(
      `  start ${run}: running after ${seconds(running)}, first trace searchable after ${seconds(first)} (${seconds(first - running)} after running)\n`,
    );
  } finally {
    await lab.cleanup();
  }
}
const [cold, ...warm] = rows;
const best = warm.length ? Math.min(...warm.map((r) => r.first)) : Number.NaN;
process.stdout.write(
  `  first start ${seconds(cold!.first)}, later starts best ${seconds(best)} (goal ≤ 30 s warm)\n`,
);
process.stdout.write(`  reproduce: npm run bench:startup -- --runs ${runs}\n`);
