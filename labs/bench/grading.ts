// Benchmark: wall time of `dojo grade all` (TraceQL answers, root-cause report, quiz) with the reference
// solutions, and of `dojo grade instrumentation`, on the running lab. Needs a live lab with Tempo and a
// broken scenario (the root-cause report names its cause): `make lab-up`, then
// `npx dojo scenario set slow-query`, then `npm run bench:grading -- --runs 3`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findScenario, labPaths, tempoUrl } from '@dojo/course';
import { referenceRca, TempoClient } from '@dojo/graders';
import { readStatus } from '../src/local/supervisor-client.ts';
import { percentile, seconds } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const tempo = tempoUrl();

function fail(message: string): never {
  process.stderr.write(`bench:grading: ${message}\n`);
  process.exit(2);
}

const ready = await fetch(`${tempo}/ready`, { signal: AbortSignal.timeout(2000) }).then(
  (r) => r.ok,
  () => false,
);
if (!ready) fail(`Tempo does not answer at ${tempo}/ready; start the lab with \`make lab-up\``);
const status = await readStatus(labPaths());
const scenario = status?.scenario ? findScenario(status.scenario) : undefined;
if (!scenario?.rootCause)
  fail('the lab runs no broken scenario; set one first (npx dojo scenario set slow-query)');

/** A trace that shows the scenario, found with its reference TraceQL: the report's evidence. */
async function evidenceTrace(query: string): Promise<string> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const end = Math.ceil(Date.now() / 1000);
    const url = `${tempo}/api/search?q=${encodeURIComponent(query)}&limit=1&start=${end - 600}&end=${end}`;
    const found = await fetch(url)
      .then((r) => (r.ok ? (r.json() as Promise<{ traces?: { traceID: string }[] }>) : {}))
      .catch(() => ({}) as { traces?: { traceID: string }[] });
    const id = (found as { traces?: { traceID: string }[] }).traces?.[0]?.traceID;
    if (id) return id.padStart(32, '0');
    process.stdout.write('\r  waiting for the lab load to produce a trace of the scenario…');
    await new Promise((r) => setTimeout(r, 2000));
  }
  return fail(`no trace matches ${query} after 90 s; is the lab's load generator running?`);
}

/**
 * The checks' verdicts from `--format json` output, or undefined when there is no report: exit 2 means
 * either "could not grade at all" (one line on stderr, no report) or "some questions are not gradable in
 * this scenario" (a full report on stdout), so the report, not the exit code, tells them apart.
 */
function countVerdicts(stdout: string): string | undefined {
  try {
    const { grades } = JSON.parse(stdout) as { grades: { checks: { verdict: string }[] }[] };
    const n = (v: string) => grades.flatMap((g) => g.checks).filter((c) => c.verdict === v).length;
    return `${n('pass')} passed, ${n('fail')} failed, ${n('not-graded')} not gradable in this scenario`;
  } catch {
    return undefined;
  }
}

const answers = mkdtempSync(join(tmpdir(), 'dojo-bench-grading-'));
try {
  copyFileSync(repo('labs/lab2/solution/traceql.yaml'), join(answers, 'traceql.yaml'));
  copyFileSync(repo('labs/assessment/solution/quiz.yaml'), join(answers, 'quiz.yaml'));
  const evidence = await new TempoClient(tempo).trace(await evidenceTrace(scenario.reference));
  if (!evidence) fail('the evidence trace found by search is not found by id; is Tempo still starting?');
  writeFileSync(join(answers, 'rca.md'), referenceRca(scenario, [evidence]));
  process.stdout.write(
    `\rGrading wall time on the running lab (scenario ${scenario.id}), ${runs} runs each\n`,
  );
  const dojo = repo('labs/bin/dojo.js');
  for (const what of ['all', 'instrumentation']) {
    const times: number[] = [];
    let verdicts = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const r = spawnSync(process.execPath, [dojo, 'grade', what, '--answers', answers, '--format', 'json'], {
        encoding: 'utf8',
      });
      times.push(performance.now() - started);
      verdicts =
        countVerdicts(r.stdout) ??
        fail(
          `dojo grade ${what} could not grade (exit ${r.status}): ${r.stderr.trim() || r.stdout.trim() || 'no message'}`,
        );
    }
    process.stdout.write(
      `  dojo grade ${what.padEnd(15)} median ${seconds(percentile(times, 50))}  max ${seconds(Math.max(...times))}  (${verdicts}${what === 'all' ? '; goal ≤ 10 s' : ''})\n`,
    );
  }
  process.stdout.write(`  reproduce: npm run bench:grading -- --runs ${runs}\n`);
} finally {
  rmSync(answers, { recursive: true, force: true });
}
