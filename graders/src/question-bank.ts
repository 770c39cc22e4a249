// Loads the TraceQL question bank and the quiz (graders/data/*.yaml), the files the site reads too.
import { readFileSync } from 'node:fs';
import {
  answerKeyFromEnv,
  fillVariant,
  keyDoesNotCover,
  loadCatalog,
  missingAnswerKey,
  quizKeyFields,
  releaseOf,
  seedFromEnv,
  UserError,
  type Variant,
  variantOf,
} from '@dojo/course';
import { parse } from 'yaml';
import { fieldOf, type Shape } from './answer-shape.ts';
import { checkTraceql, describeSyntaxError } from './traceql-syntax.ts';

/** A wrong answer that returns the right set on the lab's usual traffic, and the fixture trace that tells. */
export interface Catch {
  answer: string;
  /** the trace of graders/data/fixtures/<question-id>.json that separates it from the reference */
  caughtBy: string;
  why: string;
}

export interface Question {
  id: string;
  title: string;
  prompt: string;
  scenario: string;
  reference: string;
  /** traces or spans: the matched sets must be equal; top-series: a metrics query whose largest series
   *  (summed over the window) carries the same label value as the reference's */
  compare: 'traces' | 'spans' | 'top-series';
  expectEmpty: boolean;
  points: number;
  hint: string;
  /** what the answer must select or group by, checked on its parsed query */
  shape?: Shape;
  catches: Catch[];
  /** a longer search window than the grader's usual few minutes, in seconds (`window: 1h` in the bank):
   *  for answers that live in traces ending when a scenario was switched, such as a deploy's */
  windowSeconds?: number;
}

export interface QuizQuestion {
  id: string;
  prompt: string;
  choices: { id: string; text: string }[];
  answer: string;
  explanation: string;
}

export const questionBankPath = new URL('../data/traceql-questions.yaml', import.meta.url);
export const quizPath = new URL('../data/quiz.yaml', import.meta.url);

const metricsPipeline =
  /\|\s*(rate|count_over_time|sum_over_time|avg_over_time|min_over_time|max_over_time|quantile_over_time|histogram_over_time)\s*\(/;
export const isMetricsQuery = (q: string) => metricsPipeline.test(q);

/** Every commit the lab's tiers can run: a question that names a commit must name one of these. */
function labRevisions(seed: string | undefined): Set<string> {
  const catalog = loadCatalog();
  return new Set(
    catalog.scenarios.flatMap((s) =>
      Object.keys(catalog.releases.baseline).map(
        (service) => releaseOf(service, s.id, catalog, seed).revision,
      ),
    ),
  );
}

/** A question with the learner's values in place of its {{…}} placeholders (labs/src/variants.ts). */
function withVariant(q: Partial<Question>, variant: Variant): Partial<Question> {
  const catalog = loadCatalog();
  const fill = (text: string | undefined) =>
    text === undefined
      ? undefined
      : fillVariant(
          text,
          variant,
          (tier, scenario) => releaseOf(tier, scenario, catalog, variant.seed).revision,
        );
  const filled: Partial<Question> = { ...q };
  for (const f of ['title', 'prompt', 'reference', 'hint'] as const) {
    const text = fill(q[f]);
    if (text !== undefined) filled[f] = text;
  }
  if (q.catches)
    filled.catches = q.catches.map((c) => ({
      ...c,
      answer: fill(c.answer) ?? c.answer,
      why: fill(c.why) ?? c.why,
    }));
  return filled;
}

/**
 * Fills the keyed fields the learner edition strips (its questions hold no `reference`) from the
 * instructor's key; `need` names the graded run that cannot do without them.
 */
function withKey<T extends { id?: string }>(
  items: T[],
  keyed: string,
  part: 'traceql' | 'quiz',
  need: string | undefined,
): { items: T[]; answers: boolean } {
  if (items.length === 0 || items.every((q) => keyed in q)) return { items, answers: true };
  const key = answerKeyFromEnv();
  if (!key) {
    if (need) throw missingAnswerKey(need);
    return { items, answers: false };
  }
  return {
    answers: true,
    items: items.map((q) => {
      const known = key[part][String(q.id)];
      if (!known) throw new UserError(keyDoesNotCover(key, `${part} question ${q.id}`));
      return { ...q, ...known };
    }),
  };
}

/**
 * The graded TraceQL questions. In the learner edition without the key their references are empty
 * strings (the site lists the prompts); a grader passes `need`, and is refused in one line instead.
 */
export function loadQuestionBank(need?: string, variant: Variant = variantOf(seedFromEnv())): Question[] {
  const file = parse(readFileSync(questionBankPath, 'utf8')) as { questions?: Partial<Question>[] };
  const { items, answers } = withKey(file.questions ?? [], 'reference', 'traceql', need);
  const raw = { questions: items.map((q) => withVariant(q, variant)) };
  const scenarios = new Set(loadCatalog().scenarios.map((s) => s.id));
  const revisions = labRevisions(variant.seed);
  const problems: string[] = [];
  const seen = new Set<string>();
  const questions = (raw.questions ?? []).map((q, i) => {
    const where = `question ${q.id ?? i + 1}`;
    for (const f of ['id', 'title', 'prompt', 'scenario', 'reference', 'hint'] as const) {
      if (f === 'reference' && !answers) continue;
      if (typeof q[f] !== 'string' || q[f] === '') problems.push(`${where}: "${f}" must be text`);
    }
    if (seen.has(String(q.id))) problems.push(`${where}: duplicate id`);
    seen.add(String(q.id));
    if (!scenarios.has(String(q.scenario))) problems.push(`${where}: unknown scenario "${q.scenario}"`);
    if (q.compare !== 'traces' && q.compare !== 'spans' && q.compare !== 'top-series')
      problems.push(`${where}: compare must be traces, spans or top-series`);
    if (answers && (q.compare === 'top-series') !== isMetricsQuery(String(q.reference ?? '')))
      problems.push(`${where}: compare top-series goes with a metrics reference, and only with one`);
    for (const sha of `${q.prompt} ${q.reference}`.match(/\b[0-9a-f]{40}\b/g) ?? []) {
      if (!revisions.has(sha))
        problems.push(
          `${where}: commit ${sha} is not one the catalog deploys (labs/course/src/releases.ts derives them)`,
        );
    }
    for (const [kind, fields] of Object.entries(q.shape ?? {})) {
      if (kind !== 'select' && kind !== 'by')
        problems.push(`${where}: shape takes select and by, not ${kind}`);
      for (const f of Array.isArray(fields) ? fields : [fields]) {
        try {
          fieldOf(String(f));
        } catch (e) {
          problems.push(`${where}: shape ${kind}: ${(e as Error).message}`);
        }
      }
    }
    for (const c of q.catches ?? []) {
      if (typeof c?.answer !== 'string' || typeof c.caughtBy !== 'string' || typeof c.why !== 'string')
        problems.push(`${where}: each of catches needs answer, caughtBy and why (text)`);
      else if (!checkTraceql(c.answer).ok)
        problems.push(`${where}: catches answer ${c.answer} is not TraceQL`);
    }
    const syntax = checkTraceql(String(q.reference ?? ''));
    if (answers && !syntax.ok)
      problems.push(`${where}: reference is not valid TraceQL (${describeSyntaxError(syntax)})`);
    const rawWindow = (q as { window?: unknown }).window;
    const window = rawWindow === undefined ? undefined : /^(\d+)(m|h)$/.exec(String(rawWindow));
    const windowSeconds = window ? Number(window[1]) * (window[2] === 'h' ? 3600 : 60) : undefined;
    if (rawWindow !== undefined && !(windowSeconds && windowSeconds >= 300 && windowSeconds <= 3600))
      problems.push(`${where}: window must be 5m to 1h (the lab keeps an hour of traces)`);
    return {
      ...q,
      ...(windowSeconds ? { windowSeconds } : {}),
      expectEmpty: q.expectEmpty === true,
      points: Number(q.points ?? 10),
      catches: q.catches ?? [],
    } as Question;
  });
  if (problems.length) throw new Error(`traceql-questions.yaml: ${problems.join('; ')}`);
  return questions;
}

/** The quiz; without the key (learner edition) its answers and explanations are empty, unless `need`. */
export function loadQuiz(need?: string): QuizQuestion[] {
  const raw = parse(readFileSync(quizPath, 'utf8')) as { questions?: QuizQuestion[] };
  const { items: questions, answers } = withKey(raw.questions ?? [], quizKeyFields[0], 'quiz', need);
  if (!answers) return questions.map((q) => ({ ...q, answer: '', explanation: '' }));
  for (const q of questions) {
    if (!q.choices?.some((c) => c.id === q.answer))
      throw new Error(`quiz.yaml: ${q.id}: the answer is not one of its choices`);
  }
  return questions;
}
