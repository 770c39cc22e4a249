// Checks a practice answer in the page as `dojo grade traceql` checks a graded one: both queries run on
// the same traces, the matched traces (or spans) are compared as sets, and the verdict comes with the
// grader's numbers and hints. Practice questions only: graded references never reach the page.
import { type Comparison, compareMatches } from '@dojo/graders/set-compare';
import { search, type TraceSearchMetadata } from '@dojo/traceql';
import type { Dataset } from './dataset.ts';

export interface PracticeQuestion {
  id: string;
  title: string;
  prompt: string;
  /** the dataset (scenario id) the question is asked about */
  dataset: string;
  reference: string;
  compare: 'traces' | 'spans';
  hint: string;
}

/** As the grader searches: every trace in the window, every span of each span set. */
const OPTIONS = { limit: 1000, spss: 100 } as const;

const keys = (unit: 'traces' | 'spans', traces: TraceSearchMetadata[]) =>
  new Set(
    unit === 'traces'
      ? traces.map((t) => t.traceID)
      : traces.flatMap((t) => t.spanSets.flatMap((set) => set.spans.map((s) => `${t.traceID}:${s.spanID}`))),
  );

export type PracticeResult = Comparison | { verdict: 'invalid'; found: string };

export function checkPractice(q: PracticeQuestion, answer: string, dataset: Dataset): PracticeResult {
  const mine = search(answer, dataset.traces, OPTIONS);
  if (mine.status !== 200) return { verdict: 'invalid', found: mine.error };
  const reference = search(q.reference, dataset.traces, OPTIONS);
  if (reference.status !== 200) throw new Error(`practice ${q.id}: reference failed: ${reference.error}`);
  const result = compareMatches(
    q.compare,
    keys(q.compare, reference.body.traces),
    keys(q.compare, mine.body.traces),
  );
  return {
    ...result,
    hint:
      result.verdict === 'fail'
        ? `${result.hint}. ${q.hint}`
        : result.verdict === 'pass'
          ? q.hint
          : result.hint,
  };
}
