// `dojo grade <lab>`: runs graders, renders the result, and returns the exit code
// (0 all passed, 1 a check failed, 2 could not grade — with one line saying why).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkSeed, findScenario, parseArgv, type Scenario, UserError } from '@dojo/course';
import { gradeAlerts } from './alerts-grader.ts';
import { gradeDashboard } from './dashboard-grader.ts';
import { readDoraAnswers } from './dora-answers.ts';
import { gradeDora } from './dora-grader.ts';
import { exitCodeOf, type Grade } from './grade-model.ts';
import { gradeInstrumentation } from './instrumentation-grader.ts';
import { gradePractical } from './practical-grader.ts';
import { gradeQuiz } from './quiz-grader.ts';
import { gradeRca, labNotRunning, readRcaReport } from './rca-grader.ts';
import { type ReplayLab, startReplayLab } from './replay-lab.ts';
import { type Format, formats, render } from './report-render.ts';
import type { RunningLab } from './running-lab.ts';
import { TempoClient } from './tempo-client.ts';
import { gradeTraceql } from './traceql-grader.ts';

const labs = [
  'instrumentation',
  'traceql',
  'rca',
  'quiz',
  'dora',
  'practical',
  'dashboard',
  'alerts',
  'all',
] as const;
const usage = `dojo grade <${labs.join('|')}> [--answers DIR|FILE] [--format ${formats.join('|')}] [--out FILE] [--scenario ID] [--seed S]`;
const answerFiles = ['traceql.yaml', 'rca.md', 'quiz.yaml', 'dora.yaml', 'dashboard.json', 'alerts.yaml'];

interface Run {
  answers: string;
  lab: RunningLab;
  /** --scenario, looked up once */
  scenario?: Scenario;
  all: boolean;
  /** why part of the grading was skipped (the first reason), and which parts: said once after the report */
  skipped: { reason?: string; parts: string[] };
  tempo?: { client: TempoClient; problem?: string };
  /** recorded traffic replayed into a store of its own, for the dashboard and alert graders */
  replay?: Promise<ReplayLab>;
}

async function tempoFor(run: Run): Promise<{ client: TempoClient; problem?: string }> {
  if (!run.tempo) {
    const client = new TempoClient();
    const problem = await client.problem();
    run.tempo = { client, ...(problem ? { problem } : {}) };
  }
  return run.tempo;
}

async function readyTempo(run: Run): Promise<TempoClient> {
  const { client, problem } = await tempoFor(run);
  if (problem) throw new UserError(problem);
  return client;
}

/**
 * In `grade all`, a part that needs the lab while none answers: its file was checked, and the report says
 * it was not graded and why (once, after the report), instead of failing the whole run.
 */
function skippedGrade(
  run: Run,
  part: { lab: string; title: string; file: string; check: string; expected: string; why: string },
  reason = `${part.why}; start it with \`make lab-up\` and grade again`,
): Grade {
  run.skipped.reason ??= reason;
  run.skipped.parts.push(`${part.file} was checked as a file only`);
  return {
    lab: part.lab,
    title: part.title,
    checks: [
      {
        id: `${part.lab}-lab`,
        title: part.check,
        verdict: 'not-graded',
        points: 0,
        maxPoints: 0,
        expected: part.expected,
        found: `${part.why}; ${part.file} itself is well formed`,
        hint: 'start the lab with `make lab-up` and grade again',
      },
    ],
  };
}

async function gradeLab(lab: string, run: Run): Promise<Grade[]> {
  switch (lab) {
    case 'quiz':
      return [gradeQuiz(run.answers)];
    case 'traceql': {
      const { client, problem } = await tempoFor(run);
      if (!problem) return [await gradeTraceql(run.answers, client)];
      // Syntax and file checks need no Tempo (Lab 2 promises them); the rest waits for the lab.
      run.skipped.reason ??= problem;
      run.skipped.parts.push('traceql.yaml was checked for syntax only');
      return [await gradeTraceql(run.answers, { offline: problem })];
    }
    case 'rca': {
      const running = run.scenario ? undefined : await run.lab.scenario();
      const active = run.scenario ?? (running === undefined ? undefined : findScenario(running));
      if (!active && run.all) {
        readRcaReport(run.answers);
        return [
          skippedGrade(run, {
            lab: 'rca',
            title: 'Lab 3 — root-cause report',
            file: 'rca.md',
            check: 'Compared with the running scenario',
            expected: 'a running lab in a broken scenario',
            why: 'the lab is not running',
          }),
        ];
      }
      // The file's own checks first: a malformed rca.md is reported even with no lab running.
      readRcaReport(run.answers);
      if (!active) throw new UserError(labNotRunning);
      return [await gradeRca(run.answers, await readyTempo(run), active)];
    }
    case 'instrumentation':
      return [await gradeInstrumentation(await readyTempo(run), { lab: run.lab })];
    case 'dora': {
      const { problem } = await tempoFor(run);
      if (problem && run.all) {
        readDoraAnswers(run.answers);
        return [
          skippedGrade(
            run,
            {
              lab: 'dora',
              title: 'DORA metrics from traces',
              file: 'dora.yaml',
              check: 'Compared with the pipeline traces in Tempo',
              expected: "the lab's Tempo, holding the pipeline's traces",
              why: 'Tempo does not answer',
            },
            problem,
          ),
        ];
      }
      return [await gradeDora(run.answers, await readyTempo(run))];
    }
    case 'practical':
      return [await gradePractical(await readyTempo(run))];
    case 'dashboard':
      run.replay ??= startReplayLab();
      return [await gradeDashboard(run.answers, await run.replay)];
    case 'alerts':
      run.replay ??= startReplayLab();
      return [await gradeAlerts(run.answers, await run.replay)];
    default:
      throw new UserError(`unknown lab "${lab}"; usage: ${usage}`);
  }
}

/** --out must be a writable file that is not one of the learner's answers. */
function checkOut(out: string, answers: string): void {
  const path = resolve(out);
  try {
    if (statSync(path).isDirectory())
      throw new UserError(
        `--out ${out} is a folder; name a file, e.g. --out ${out.replace(/\/+$/, '')}/grade.xml`,
      );
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  if (answerFiles.includes(basename(path)) || path === answers)
    throw new UserError(`--out ${out} would overwrite your answers; name another file, e.g. --out grade.xml`);
  try {
    statSync(resolve(path, '..'));
  } catch {
    throw new UserError(
      `--out ${out}: its folder does not exist; create it or name a file in an existing folder`,
    );
  }
}

export async function runGradeCommand(
  argv: string[],
  runningLab: RunningLab,
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  note: (s: string) => void = (s) => process.stderr.write(`dojo: ${s}\n`),
) {
  const parsed = parseArgv(
    {
      args: argv,
      allowPositionals: true,
      options: {
        answers: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
      },
    },
    `usage: ${usage}`,
  );
  const { values, positionals } = parsed;
  const lab = positionals[0];
  if (!lab) throw new UserError(`which lab? usage: ${usage}`);
  if (positionals.length > 1) throw new UserError(`grade one lab (or all) at a time; usage: ${usage}`);
  if (!(labs as readonly string[]).includes(lab))
    throw new UserError(`unknown lab "${lab}"; usage: ${usage}`);
  const format = (values.format ?? 'text') as Format;
  if (!formats.includes(format)) throw new UserError(`--format must be one of ${formats.join(', ')}`);
  const answers = resolve(String(values.answers ?? 'answers'));
  if (lab === 'all' && values.answers !== undefined && isFile(answers))
    throw new UserError(`--answers ${values.answers} is a file; grading all labs needs the answers folder`);
  if (values.out !== undefined) checkOut(String(values.out), answers);
  // The learner's seed moves the values their answers are graded on: --seed, DOJO_SEED, or the running
  // lab's own (it ships the seeded commits); set for the whole run, as releases read it too.
  const seed = values.seed !== undefined ? checkSeed(String(values.seed), '--seed') : await runningLab.seed();
  if (seed !== undefined) process.env.DOJO_SEED = seed;
  const run: Run = {
    answers,
    lab: runningLab,
    all: lab === 'all',
    skipped: { parts: [] },
    ...(values.scenario !== undefined ? { scenario: findScenario(String(values.scenario)) } : {}),
  };
  const grades: Grade[] = [];
  // Lab 2's dashboard and alerts and Lab 4's DORA answers join `all` once their files exist.
  const optional = { dashboard: 'dashboard.json', alerts: 'alerts.yaml', dora: 'dora.yaml' };
  const written = Object.entries(optional)
    .filter(([, file]) => existsSync(join(answers, file)))
    .map(([l]) => l);
  try {
    for (const one of lab === 'all' ? ['traceql', 'rca', 'quiz', ...written] : [lab])
      grades.push(...(await gradeLab(one, run)));
  } finally {
    await run.replay?.then((r) => r.close()).catch(() => {});
  }
  const colour = !values.out && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const text = render(grades, format, colour);
  if (values.out) {
    try {
      writeFileSync(String(values.out), `${text}\n`);
    } catch (e) {
      throw new UserError(
        `cannot write --out ${values.out} (${(e as NodeJS.ErrnoException).code}); name a writable file`,
      );
    }
    out(`wrote ${values.out} (${format})`);
  } else {
    out(text);
  }
  if (run.skipped.reason) note(`${run.skipped.reason} (${run.skipped.parts.join('; ')})`);
  return exitCodeOf(grades);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
