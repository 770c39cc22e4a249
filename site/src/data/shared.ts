// The data the site shows, read at build time from the files the CLI and graders read — never copied. The
// site is for learners: answer keys (root causes, reference queries, the quiz key) are dropped here, so no
// page can show one, whichever edition it is built from.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// By subpath, not the index: the index also loads the ports and versions through import.meta.url, which
// the bundle moves.
import { questionKeyFields, quizKeyFields, scenarioKeyFields } from '@dojo/course/answer-key';
import { type Cause, type Scenario as CourseScenario, validateCatalog } from '@dojo/course/catalog';
import { releaseOf } from '@dojo/course/releases';
import { defaultVariant, fillVariant } from '@dojo/course/variants';
import type { QuizQuestion, Question as TraceqlQuestion } from '@dojo/graders';
import { parse } from 'yaml';

// The build bundles this module elsewhere, so import.meta.url cannot locate the repo: walk up from the
// working directory (site/ or the repo root) to the folder that holds the scenario catalog.
function findRepo(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'labs/catalog/scenarios.yaml'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`the site must be built inside the Tracing Dojo repository (from ${from})`);
  }
}
const repo = findRepo(process.cwd());
const yaml = <T>(path: string): T => parse(readFileSync(join(repo, path), 'utf8')) as T;
const json = <T>(path: string): T => JSON.parse(readFileSync(join(repo, path), 'utf8')) as T;

/** A scenario as learners know it: the catalog's type without what gives the fault away. */
export type Scenario = Pick<CourseScenario, 'id' | 'title' | 'symptom'>;
export type { Cause };

/** A copy of each item without the keyed fields. */
const without = <T extends object>(items: T[], keyed: readonly string[]): T[] =>
  items.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => !keyed.includes(k))) as T);

const rawCatalog = yaml<{ causes: Cause[]; scenarios: Scenario[] }>('labs/catalog/scenarios.yaml');
export const catalog = { ...rawCatalog, scenarios: without(rawCatalog.scenarios, scenarioKeyFields) };
export const quiz = without(
  yaml<{ questions: QuizQuestion[] }>('graders/data/quiz.yaml').questions,
  quizKeyFields,
) as Omit<QuizQuestion, 'answer' | 'explanation'>[];
/** A prompt with the course's own values; `varies` when a learner's seed changes them (dojo questions). */
const releases = validateCatalog(rawCatalog);
const ownValues = (text: string) =>
  fillVariant(
    text,
    defaultVariant,
    (tier, scenario) => releaseOf(tier, scenario, releases, undefined).revision,
  );
export const traceqlQuestions = (
  without(
    yaml<{ questions: TraceqlQuestion[] }>('graders/data/traceql-questions.yaml').questions,
    questionKeyFields,
  ) as Omit<TraceqlQuestion, 'reference' | 'catches'>[]
).map((q) => ({ ...q, prompt: ownValues(q.prompt), varies: q.prompt.includes('{{') }));
/** Practice questions for the playground, checked in the page (graders/data/traceql-practice.yaml). */
export const traceqlPractice = yaml<{ questions: Record<string, string>[] }>(
  'graders/data/traceql-practice.yaml',
).questions;
export const ports = json<Record<string, number>>('labs/config/ports.json');
export const versions = json<{
  node: string;
  tempo: { version: string };
  images: Record<string, string>;
  tools: Record<string, string>;
}>('labs/config/versions.json');
