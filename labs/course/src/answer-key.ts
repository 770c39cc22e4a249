// The answer key: what graders compare against and a learner must not hold (each scenario's root cause and
// reference query, each graded TraceQL question's reference, the quiz key). The course's source keeps it in
// its data files; the learner edition holds none, and graders read it from the instructor kit (DOJO_ANSWER_KEY).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { RootCause } from './catalog.ts';
import { UserError } from './user-error.ts';

/** The fields of a scenario (labs/catalog/scenarios.yaml) that give its fault away. */
export const scenarioKeyFields = ['broken', 'signature', 'reference', 'rootCause'] as const;
/** The fields of a graded TraceQL question (graders/data/traceql-questions.yaml) that give its answer away. */
export const questionKeyFields = ['reference', 'catches'] as const;
/** The fields of a quiz question (graders/data/quiz.yaml) that give its answer away. */
export const quizKeyFields = ['answer', 'explanation'] as const;

export interface ScenarioAnswer {
  broken: string;
  signature: string;
  reference: string;
  rootCause: RootCause | null;
}

export interface AnswerKey {
  /** the commit of the course's source the key was taken from */
  source: string;
  /** where it was read from (for messages) */
  path: string;
  scenarios: Record<string, ScenarioAnswer>;
  /** question id → the question's keyed fields (reference, catches) */
  traceql: Record<string, Record<string, unknown>>;
  /** question id → { answer, explanation } */
  quiz: Record<string, { answer: string; explanation: string }>;
}

export const answerKeyFile = 'answer-key.yaml';

const howTo =
  'set DOJO_ANSWER_KEY to the instructor kit’s answer-key.yaml (made with the learner edition by `make learner-edition`)';

/** The one line a graded run without the key prints (exit 2). */
export function missingAnswerKey(what: string): UserError {
  return new UserError(
    `${what} needs the answer key, which this learner edition does not hold; ${howTo}. Practice questions on the site check themselves.`,
  );
}

let cached: { env: string; key: AnswerKey } | undefined;

/** The key named by DOJO_ANSWER_KEY (a file, or the kit folder holding answer-key.yaml); undefined if unset. */
export function answerKeyFromEnv(env: NodeJS.ProcessEnv = process.env): AnswerKey | undefined {
  const named = env.DOJO_ANSWER_KEY;
  if (!named) return undefined;
  if (cached?.env === named) return cached.key;
  let path = resolve(named);
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, answerKeyFile);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code
        ? `DOJO_ANSWER_KEY=${named}: cannot read ${path} (${code}); ${howTo}`
        : `DOJO_ANSWER_KEY=${named}: ${path} is not YAML (${(e as Error).message.split('\n')[0]}); ${howTo}`,
    );
  }
  const doc = (raw ?? {}) as Partial<AnswerKey>;
  const isMap = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isMap(doc.scenarios) || !isMap(doc.traceql) || !isMap(doc.quiz))
    throw new UserError(
      `DOJO_ANSWER_KEY=${named}: ${path} is not an answer key (it needs scenarios, traceql and quiz); ${howTo}`,
    );
  const key: AnswerKey = {
    source: String(doc.source ?? 'unknown'),
    path,
    scenarios: doc.scenarios as AnswerKey['scenarios'],
    traceql: doc.traceql as AnswerKey['traceql'],
    quiz: doc.quiz as AnswerKey['quiz'],
  };
  cached = { env: named, key };
  return key;
}

/** A key that lacks an entry this edition has: made for another version of the course. */
export function keyDoesNotCover(key: AnswerKey, what: string): string {
  return `the answer key ${key.path} (from ${key.source.slice(0, 12)}) has no ${what}: it was made for another version of the course; rebuild the instructor kit with \`make learner-edition\``;
}
