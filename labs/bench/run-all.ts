// `npm run bench`: runs every benchmark in turn, then prints one summary of what ran and what could not.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempoUrl } from '../src/lab-config.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

async function tempoAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${tempoUrl()}/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function runBenchmark(file: string, args: string[]): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [here(file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    child.stdout.on('data', (c: Buffer) => {
      process.stdout.write(c);
      lines.push(...c.toString().split('\n').filter(Boolean));
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, lines }));
  });
}

const summary: [string, string][] = [];
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

const needsTempo = [
  'trace visibility',
  'lab start-up to first searchable trace',
  'grading wall time',
  'class scale',
];
if (await tempoAnswers()) {
  const visibility = await runBenchmark('./visibility.ts', ['--requests', '100']);
  summary.push([
    'trace visibility',
    visibility.lines
      .filter((l) => /by (id|search)/.test(l))
      .map((l) => l.trim())
      .join('; '),
  ]);
  for (const name of needsTempo.slice(1)) summary.push([name, 'not written yet']);
} else {
  for (const name of needsTempo)
    summary.push([
      name,
      `skipped: Tempo does not answer at ${tempoUrl()} (start the lab with \`make lab-up\`)`,
    ]);
}

process.stdout.write(`\nSummary (${(await import('node:os')).cpus().length} cores)\n`);
for (const [name, result] of summary) process.stdout.write(`  ${name.padEnd(40)} ${result}\n`);
