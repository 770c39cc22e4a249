// `npm run bench`: runs every benchmark in turn, then prints one summary of what ran and what could not.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempoUrl } from '@dojo/course';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

async function tempoAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${tempoUrl()}/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function runBenchmark(
  file: string,
  args: string[],
): Promise<{ code: number; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [here(file), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      process.stdout.write(c);
      lines.push(
        ...c
          .toString()
          .split(/[\n\r]/)
          .filter(Boolean),
      );
    });
    child.stderr.on('data', (c: Buffer) => {
      process.stderr.write(c);
      stderr += c.toString();
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, lines, stderr }));
  });
}

const summary: [string, string][] = [];
const traceql = await runBenchmark('../traceql/bench/traceql.ts', []);
summary.push([
  'TraceQL engine (1 M spans)',
  traceql.code === 0
    ? (traceql.lines.find((l) => l.trim().startsWith('1,000,000')) ?? '').trim()
    : `failed (exit ${traceql.code})`,
]);
const store = await runBenchmark('./store-ingest.ts', ['--spans', '100000']);
summary.push([
  'Tempo store: ingest, visibility, memory',
  store.code === 0
    ? store.lines
        .filter((l) => /spans\/s|p95|per stored span|real Tempo/.test(l))
        .map((l) => l.trim())
        .join('; ')
    : `failed (exit ${store.code})`,
]);

const overhead = await runBenchmark('./overhead.ts', ['--requests', '2000', '--rounds', '3']);
summary.push([
  'instrumentation overhead',
  overhead.code === 0
    ? overhead.lines.filter((l) => l.includes(' vs off:')).join('; ')
    : `failed (exit ${overhead.code})`,
]);

const memory = await runBenchmark('./lab-memory.ts', []);
summary.push([
  'local lab memory (PSS)',
  memory.code === 0
    ? memory.lines
        .filter((l) => /at rest|under default/.test(l))
        .map((l) => l.trim())
        .join('; ')
    : `failed (exit ${memory.code})`,
]);

const startup = await runBenchmark('./startup.ts', ['--runs', '2']);
summary.push([
  'lab start-up (local mode)',
  startup.code === 0
    ? (startup.lines.find((l) => l.includes('first start')) ?? '').trim()
    : `failed (exit ${startup.code})`,
]);

/** A benchmark that needs the running lab's Tempo: its figures, or the one line saying why not. */
async function withTempo(name: string, file: string, args: string[], pick: RegExp) {
  const r = await runBenchmark(file, args);
  summary.push([
    name,
    r.code === 0
      ? r.lines
          .filter((l) => pick.test(l))
          .map((l) => l.trim())
          .join('; ')
      : `not measured: ${r.stderr.trim() || `exit ${r.code}`}`,
  ]);
}
if (await tempoAnswers()) {
  await withTempo('trace visibility', './visibility.ts', ['--requests', '100'], /by (id|search)/);
  await withTempo('grading wall time', './grading.ts', ['--runs', '3'], /dojo grade/);
  await withTempo('class scale', './class-scale.ts', ['--learners', '1,10,30', '--seconds', '20'], /hold/);
} else {
  for (const name of ['trace visibility', 'grading wall time', 'class scale'])
    summary.push([
      name,
      `skipped: Tempo does not answer at ${tempoUrl()} (start the lab with \`make lab-up\`)`,
    ]);
}

process.stdout.write(`\nSummary (${(await import('node:os')).cpus().length} cores)\n`);
for (const [name, result] of summary) process.stdout.write(`  ${name.padEnd(40)} ${result}\n`);
