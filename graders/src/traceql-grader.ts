// `dojo grade traceql`: each answer is syntax-checked first, then it and the reference query run over the
// same window on the live lab, and the matched traces (or spans) are compared. With no Tempo to ask,
// the file and syntax checks still run and the rest is marked not graded.

import { UserError } from '@dojo/labs';
import { readIdMap } from './answers.ts';
import type { Check, Grade } from './grade-model.ts';
import { loadQuestionBank, type Question } from './question-bank.ts';
import { compareMatches } from './set-compare.ts';
import { QueryRejected, type SearchOptions, type TempoClient, type TraceMatch } from './tempo-client.ts';
import { gradeTopSeries } from './top-series.ts';
import { checkTraceql, describeSyntaxError } from './traceql-syntax.ts';

const keys = (unit: Question['compare'], matches: TraceMatch[]) =>
  new Set(
    unit === 'traces'
      ? matches.map((m) => m.traceId)
      : matches.flatMap((m) => m.spans.map((s) => `${m.traceId}:${s.spanId}`)),
  );

/** Why there is no Tempo to run the answers on (one line); only syntax is checked then. */
export interface Offline {
  offline: string;
}

export async function gradeTraceql(
  answersDir: string,
  tempo: TempoClient | Offline,
  windowSeconds = 900,
): Promise<Grade> {
  const bank = loadQuestionBank();
  const answers = readIdMap(answersDir, 'traceql.yaml', 'a TraceQL query');
  for (const [id, { line }] of answers) {
    if (!bank.some((q) => q.id === id)) {
      throw new UserError(
        `traceql.yaml line ${line}: unknown question id "${id}"; valid ids: ${bank.map((q) => q.id).join(', ')}`,
      );
    }
  }
  const end = Date.now() / 1000;
  // The same window for both queries, so a comparison is never skewed by traces arriving in between.
  const window: SearchOptions = { start: end - windowSeconds, end, limit: 1000, spss: 100 };
  const checks: Check[] = [];
  for (const q of bank) checks.push(await gradeOne(q, answers.get(q.id)?.value, tempo, window));
  return { lab: 'traceql', title: 'Lab 2 — TraceQL', checks };
}

async function gradeOne(
  q: Question,
  answer: string | undefined,
  tempo: TempoClient | Offline,
  window: SearchOptions,
): Promise<Check> {
  const base = { id: q.id, title: q.title, maxPoints: q.points, expected: q.prompt, hint: q.hint };
  if (answer === undefined)
    return { ...base, verdict: 'fail', points: 0, found: 'no answer in traceql.yaml' };
  const syntax = checkTraceql(answer);
  if (!syntax.ok) {
    return {
      ...base,
      verdict: 'fail',
      points: 0,
      found: `invalid TraceQL, ${describeSyntaxError(syntax)}`,
      lookedAt: answer,
    };
  }
  if ('offline' in tempo) {
    return {
      ...base,
      verdict: 'not-graded',
      points: 0,
      found: 'valid TraceQL; not run, as Tempo is not answering',
      lookedAt: answer,
      hint: 'start the lab (make lab-up) and grade again',
    };
  }
  if (q.compare === 'top-series') return gradeTopSeries(q, answer, tempo, base);
  let mine: TraceMatch[];
  try {
    mine = await tempo.search(answer, window);
  } catch (e) {
    if (!(e instanceof QueryRejected)) throw e;
    return { ...base, verdict: 'fail', points: 0, found: e.message, lookedAt: answer };
  }
  if (q.expectEmpty) {
    const traffic = await tempo.search('{ }', { ...window, limit: 1 });
    if (traffic.length === 0) {
      return {
        ...base,
        verdict: 'not-graded',
        points: 0,
        found: 'no traces at all in this window',
        lookedAt: answer,
        hint: 'start the load generator (make lab-up) and grade again',
      };
    }
    const reference = await tempo.search(q.reference, window);
    if (reference.length > 0) {
      return {
        ...base,
        verdict: 'not-graded',
        points: 0,
        found: `the lab is not in scenario ${q.scenario} right now`,
        lookedAt: answer,
        hint: `dojo scenario reset ${q.scenario}`,
      };
    }
    return mine.length === 0
      ? {
          ...base,
          verdict: 'pass',
          points: q.points,
          found: 'matched nothing, as it should on a healthy lab',
          lookedAt: answer,
        }
      : {
          ...base,
          verdict: 'fail',
          points: 0,
          found: `matched ${mine.length} traces; on a healthy lab it must match none`,
          lookedAt: answer,
        };
  }
  const reference = await tempo.search(q.reference, window);
  const result = compareMatches(q.compare, keys(q.compare, reference), keys(q.compare, mine));
  return {
    ...base,
    verdict: result.verdict,
    points: result.verdict === 'pass' ? q.points : 0,
    found: result.found,
    lookedAt: answer,
    hint:
      result.verdict === 'not-graded'
        ? `${result.hint} (dojo scenario set ${q.scenario})`
        : result.verdict === 'fail'
          ? `${result.hint}. ${q.hint}`
          : q.hint,
  };
}
