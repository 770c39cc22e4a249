// Benchmark: grading a class. N simulated learners (no labs) on one multi-tenant store, through the real
// `dojo class` CLI: an exam dataset per tenant, answer sheets (a third right for their own seed, a third
// copied from the first learner, a third half right), then grade everyone, export three ways, and check
// isolation (no tenant finds another's commits or planted customer). Reports wall times, the store's and
// the grading process's peak memory, spans per tenant, and leaks (must be 0).
// Run: npm run bench:class-grade -- --learners 30 [--parallel 4]   (class Tempo on DOJO_PORT_OFFSET, default 1300)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findScenario, portsFor, releaseOf, variantOf } from '@dojo/course';
import { loadQuestionBank } from '@dojo/graders';
import { dojoBin } from '@dojo/labs/testing';
import { parse } from 'yaml';
import { seconds } from './stats.ts';

const { values } = parseArgs({
  options: { learners: { type: 'string', default: '30' }, parallel: { type: 'string', default: '4' } },
});
const n = Number(values.learners);
const offset = Number(process.env.DOJO_PORT_OFFSET ?? 1300);
const work = mkdtempSync(join(tmpdir(), 'dojo-class-bench-'));
const dir = join(work, 'class');
const tempo = `http://127.0.0.1:${portsFor({ DOJO_PORT_OFFSET: String(offset) }).tempoHttp}`;
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.DOJO_PORT_OFFSET;

/** Runs `dojo class …` under /usr/bin/time: its output, wall time and peak resident memory (MB). */
function dojoClass(...args: string[]): { ms: number; peakMb: number; out: string } {
  const started = Date.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'peak-kb %M', process.execPath, dojoBin, 'class', '--class', dir, ...args],
    { env, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`dojo class ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  const kb = Number(/peak-kb (\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { ms: Date.now() - started, peakMb: kb / 1024, out: r.stdout };
}

function storeMemory(): { rssMb: number; peakMb: number } {
  const pid = readFileSync(join(dir, 'tempo.pid'), 'utf8').trim();
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function search(tenant: string, q: string, retry = true): Promise<{ traceID: string }[]> {
  const end = Math.ceil(Date.now() / 1000) + 1;
  const url = `${tempo}/api/search?q=${encodeURIComponent(q)}&start=${end - 3600}&end=${end}&limit=5000`;
  try {
    const res = await fetch(url, { headers: { 'X-Scope-OrgID': tenant } });
    return ((await res.json()) as { traces: { traceID: string }[] }).traces;
  } catch (e) {
    // A kept-alive connection the store has just closed fails once; a second try opens a new one.
    if (!retry) throw e;
    return search(tenant, q, false);
  }
}

const ids = Array.from({ length: n }, (_, i) => `learner-${String(i + 1).padStart(2, '0')}`);
writeFileSync(join(work, 'roster.csv'), `id,seed\n${ids.map((id) => `${id},seed-${id}`).join('\n')}\n`);
try {
  dojoClass('create', join(work, 'roster.csv'), '--offset', String(offset));
  dojoClass('tempo', 'up');
  const dataset = dojoClass('dataset', '--all');
  const spans = [...dataset.out.matchAll(/\((\d+) spans/g)].map((m) => Number(m[1]));
  const afterDataset = storeMemory();
  const learners = (
    parse(readFileSync(join(dir, 'class.yaml'), 'utf8')) as {
      learners: { id: string; seed: string; scenario: string }[];
    }
  ).learners;
  const sheet = (seed: string, share = 1) => {
    const bank = loadQuestionBank(undefined, variantOf(seed));
    return `${bank
      .map(
        (q, i) =>
          `${q.id}: '${(i < bank.length * share ? q.reference : '{ status = ok }').replace(/'/g, "''")}'`,
      )
      .join('\n')}\n`;
  };
  const key = readFileSync(new URL('../assessment/solution/quiz.yaml', import.meta.url), 'utf8');
  for (const [i, l] of learners.entries()) {
    const answers = join(dir, 'learners', l.id, 'answers');
    writeFileSync(
      join(answers, 'traceql.yaml'),
      i % 3 === 1 ? sheet(learners[0]!.seed) : sheet(l.seed, i % 3 === 0 ? 1 : 0.5),
    );
    writeFileSync(join(answers, 'quiz.yaml'), key);
    const scenario = findScenario(l.scenario);
    const evidence = (await search(l.id, scenario.reference))[0]?.traceID ?? '0'.repeat(32);
    const { service, span, cause } = scenario.rootCause!;
    writeFileSync(
      join(answers, 'rca.md'),
      `---\nservice: ${service}\nspan: "${span}"\ncause: ${cause}\nevidence:\n  - ${evidence}\n---\nThe ${service} span ${span} in the evidence trace shows the cause; fix the cause it names.\n`,
    );
  }
  const grade = dojoClass('grade', '--all', '--parallel', values.parallel);
  const afterGrade = storeMemory();
  const exports = ['csv', 'gradescope', 'classroom'].map((format) =>
    dojoClass('export', '--format', format, '--out', join(work, format === 'csv' ? 'grades.csv' : format)),
  );
  const rows = readFileSync(join(work, 'grades.csv'), 'utf8').trim().split('\r\n').slice(1);
  const perLearner = learners.map(
    (l) =>
      (JSON.parse(readFileSync(join(dir, 'grades', `${l.id}.json`), 'utf8')) as { seconds: number }).seconds,
  );
  // Isolation: each tenant is asked for every other learner's commit and planted customer at once.
  const marks = learners.map((l) => ({
    id: l.id,
    commit: releaseOf('api', 'slow-query', undefined, l.seed).revision,
    customer: variantOf(l.seed).customer,
  }));
  let leaks = 0;
  let own = 0;
  const isolationStarted = Date.now();
  for (const mine of marks) {
    const others = marks.filter((m) => m.id !== mine.id);
    const q = `{ ${others.map((o) => `resource.vcs.ref.head.revision = "${o.commit}" || span.app.customer.id = ${o.customer}`).join(' || ')} }`;
    leaks += (await search(mine.id, q)).length;
    own +=
      (await search(mine.id, `{ resource.vcs.ref.head.revision = "${mine.commit}" }`)).length > 0 ? 1 : 0;
  }
  console.log(`class of ${n}, grading ${values.parallel} at a time`);
  console.log(
    `  exam datasets loaded      ${seconds(dataset.ms)} (CLI peak ${dataset.peakMb.toFixed(0)} MB)`,
  );
  console.log(
    `  store after datasets      RSS ${afterDataset.rssMb.toFixed(0)} MB (${spans.reduce((a, b) => a + b, 0)} recorded spans, ${Math.min(...spans)}-${Math.max(...spans)} per tenant, and the pipeline's)`,
  );
  console.log(
    `  graded everyone           ${seconds(grade.ms)} (per learner median ${(perLearner.sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0).toFixed(2)} s; grading process peak ${grade.peakMb.toFixed(0)} MB)`,
  );
  console.log(
    `  store after grading       RSS ${afterGrade.rssMb.toFixed(0)} MB, peak ${afterGrade.peakMb.toFixed(0)} MB`,
  );
  console.log(
    `  exports                   csv ${seconds(exports[0]!.ms)}, gradescope ${seconds(exports[1]!.ms)}, classroom ${seconds(exports[2]!.ms)}`,
  );
  console.log(`  graded rows               ${rows.length} of ${n}`);
  console.log(
    `  isolation                 ${leaks} traces of other learners found; ${own} of ${n} tenants find their own (${seconds(Date.now() - isolationStarted)})`,
  );
  if (leaks > 0 || own !== n || rows.length !== n) process.exitCode = 1;
} finally {
  try {
    dojoClass('tempo', 'down');
  } catch {}
  rmSync(work, { recursive: true, force: true });
}
