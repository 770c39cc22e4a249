// Grades a class: for each learner, Lab 2 (on their tenant, with their seed's values), the root-cause
// report (against the scenario their lab really runs, a mystery's too) and the quiz. A learner whose work
// cannot be graded (no answers yet, a malformed file) gets that said in their grade; the class goes on.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findScenario, UserError, variantOf } from '@dojo/course';
import {
  type Grade,
  gradeQuiz,
  gradeRca,
  gradeTraceql,
  loadQuestionBank,
  loadQuiz,
  maxScore,
  score,
  TempoClient,
} from '@dojo/graders';
import { eachLearner, labScenario } from './learner-lab.ts';
import { answersOf, type ClassState, type Learner, tenantOf } from './roster.ts';

export const classLabs = ['traceql', 'rca', 'quiz'] as const;
export type ClassLab = (typeof classLabs)[number];

export interface LearnerGrade {
  id: string;
  name?: string;
  seed: string;
  tenant: string;
  gradedAt: string;
  /** what the root-cause report was graded against */
  scenario?: string;
  grades: Grade[];
  seconds: number;
}

const labTitles: Record<ClassLab, string> = {
  traceql: 'Lab 2 — TraceQL',
  rca: 'Lab 3 — root-cause report',
  quiz: 'Module 6 quiz',
};

const answerFiles: Record<ClassLab, string> = { traceql: 'traceql.yaml', rca: 'rca.md', quiz: 'quiz.yaml' };

/** What a lab is worth, so a learner who sent nothing scores 0 of it, not 0 of 0. */
function worth(lab: ClassLab, l: Learner): number {
  if (lab === 'traceql')
    return loadQuestionBank(undefined, variantOf(l.seed)).reduce((n, q) => n + q.points, 0);
  if (lab === 'quiz') return loadQuiz().length;
  return 11; // service 2, span 2, cause 3, one evidence trace 2, the explanation 2
}

/**
 * A lab without a grade, as one check saying why: failed when the learner sent nothing, not graded when
 * what they sent could not be graded (the grade keeps its place and its worth in every export).
 */
function ungraded(lab: ClassLab, l: Learner, verdict: 'fail' | 'not-graded', why: string): Grade {
  return {
    lab,
    title: labTitles[lab],
    checks: [
      {
        id: `${lab}-${verdict}`,
        title: verdict === 'fail' ? 'Answers sent' : 'Graded',
        verdict,
        points: 0,
        maxPoints: worth(lab, l),
        expected: verdict === 'fail' ? `answers in ${answerFiles[lab]}` : 'answers that can be graded',
        found: why,
      },
    ],
  };
}

export async function gradeLearner(
  state: ClassState,
  l: Learner,
  labs: readonly ClassLab[] = classLabs,
): Promise<LearnerGrade> {
  const started = Date.now();
  const tenant = tenantOf(l);
  const tempo = new TempoClient(state.tempo.url, 20_000, tenant);
  const answers = answersOf(state, l);
  const scenario = (await labScenario(state, l)) ?? l.scenario;
  const grades: Grade[] = [];
  for (const lab of labs) {
    if (!existsSync(join(answers, answerFiles[lab]))) {
      grades.push(ungraded(lab, l, 'fail', `no ${answerFiles[lab]} among their answers`));
      continue;
    }
    try {
      if (lab === 'traceql') {
        // An exam dataset may reach further back than the usual five minutes: the window covers it.
        const since = l.datasetFrom ? Math.ceil((Date.now() - l.datasetFrom) / 1000) + 60 : 0;
        grades.push(
          await gradeTraceql(answers, tempo, {
            otlpUrl: state.tempo.otlp,
            variant: variantOf(l.seed),
            ...(since > 300 ? { windowSeconds: since } : {}),
          }),
        );
      } else if (lab === 'quiz') {
        grades.push(gradeQuiz(answers));
      } else if (!scenario) {
        grades.push(
          ungraded(lab, l, 'not-graded', 'no scenario was given to this learner (dojo class start|switch)'),
        );
      } else {
        grades.push(await gradeRca(answers, tempo, findScenario(scenario)));
      }
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      grades.push(ungraded(lab, l, 'not-graded', e.message));
    }
  }
  return {
    id: l.id,
    ...(l.name ? { name: l.name } : {}),
    seed: l.seed,
    tenant,
    gradedAt: new Date().toISOString(),
    ...(scenario ? { scenario } : {}),
    grades,
    seconds: (Date.now() - started) / 1000,
  };
}

const gradeFile = (state: ClassState, id: string) => join(state.dir, 'grades', `${id}.json`);

export async function gradeClass(
  state: ClassState,
  learners: Learner[],
  parallel: number,
  done: (g: LearnerGrade) => void,
): Promise<LearnerGrade[]> {
  mkdirSync(join(state.dir, 'grades'), { recursive: true });
  return eachLearner(learners, parallel, async (l) => {
    const g = await gradeLearner(state, l);
    writeFileSync(gradeFile(state, l.id), JSON.stringify(g, null, 2));
    done(g);
    return g;
  });
}

/** The last grade of each learner that has one. */
export function savedGrades(state: ClassState): LearnerGrade[] {
  return state.learners.flatMap((l) => {
    try {
      return [JSON.parse(readFileSync(gradeFile(state, l.id), 'utf8')) as LearnerGrade];
    } catch {
      return [];
    }
  });
}

export const total = (g: LearnerGrade) => g.grades.reduce((n, x) => n + score(x), 0);
export const totalMax = (g: LearnerGrade) => g.grades.reduce((n, x) => n + maxScore(x), 0);
