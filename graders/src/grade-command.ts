// `dojo grade <lab>`: runs graders, renders the result, and returns the exit code
// (0 all passed, 1 a check failed, 2 could not grade — with one line saying why).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { labPaths, readStatus } from '@dojo/labs';
import { exitCodeOf, type Grade, GradingError } from './grade-model.ts';
import { gradeInstrumentation } from './instrumentation-grader.ts';
import { gradeQuiz } from './quiz-grader.ts';
import { gradeRca } from './rca-grader.ts';
import { type Format, formats, render } from './report-render.ts';
import { TempoClient, TempoError } from './tempo-client.ts';
import { gradeTraceql } from './traceql-grader.ts';

const labs = ['instrumentation', 'traceql', 'rca', 'quiz', 'all'] as const;
const usage = `dojo grade <${labs.join('|')}> [--answers DIR] [--format ${formats.join('|')}] [--out FILE] [--scenario ID]`;

async function readyTempo(): Promise<TempoClient> {
  const tempo = new TempoClient();
  if (!(await tempo.ready())) {
    throw new GradingError(
      `Tempo at ${tempo.baseUrl} is not answering (TEMPO_URL); start the lab with \`make lab-up\``,
    );
  }
  return tempo;
}

async function gradeLab(lab: string, answers: string, scenario: string | undefined): Promise<Grade[]> {
  switch (lab) {
    case 'quiz':
      return [gradeQuiz(answers)];
    case 'traceql':
      return [await gradeTraceql(answers, await readyTempo())];
    case 'rca': {
      const active = scenario ?? (await readStatus(labPaths()))?.scenario;
      return [await gradeRca(answers, await readyTempo(), active)];
    }
    case 'instrumentation':
      return [await gradeInstrumentation(await readyTempo())];
    default:
      throw new GradingError(`unknown lab "${lab}"; usage: ${usage}`);
  }
}

export async function runGradeCommand(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        answers: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        scenario: { type: 'string' },
      },
    });
  } catch (e) {
    throw new GradingError(`${(e as Error).message.split('\n')[0]}; usage: ${usage}`);
  }
  const { values, positionals } = parsed;
  const lab = positionals[0];
  if (!lab || positionals.length > 1) throw new GradingError(`usage: ${usage}`);
  const format = (values.format ?? 'text') as Format;
  if (!formats.includes(format)) throw new GradingError(`--format must be one of ${formats.join(', ')}`);
  const answers = resolve(String(values.answers ?? 'answers'));
  const scenario = values.scenario as string | undefined;
  const grades: Grade[] = [];
  try {
    for (const one of lab === 'all' ? ['traceql', 'rca', 'quiz'] : [lab])
      grades.push(...(await gradeLab(one, answers, scenario)));
  } catch (e) {
    if (e instanceof TempoError) throw new GradingError(e.message);
    throw e;
  }
  const colour = !values.out && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const text = render(grades, format, colour);
  if (values.out) {
    writeFileSync(String(values.out), `${text}\n`);
    out(`wrote ${values.out} (${format})`);
  } else {
    out(text);
  }
  return exitCodeOf(grades);
}
