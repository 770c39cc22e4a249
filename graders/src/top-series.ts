// Grades a TraceQL metrics answer by what it shows: grouped the way the question asks, is its largest
// series (summed over the window) the same as the reference's? A learner may total, average or count
// as long as the answer's leader is the right one.
import type { Check } from './grade-model.ts';
import { isMetricsQuery, type Question } from './question-bank.ts';
import { type MetricsSeries, QueryRejected, type TempoClient } from './tempo-client.ts';

/** Pipeline stages start hours before their traces are sent: the window reaches back that far. */
export const metricsWindowSeconds = 6 * 3600;
const stepSeconds = 1800;

const total = (s: MetricsSeries) => s.values.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
const leader = (series: MetricsSeries[]) => series.reduce((a, b) => (total(b) > total(a) ? b : a));
const describe = (s: MetricsSeries) =>
  Object.entries(s.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ') || '(no labels)';

type Base = Pick<Check, 'id' | 'title' | 'maxPoints' | 'expected' | 'hint'>;

export async function gradeTopSeries(
  q: Question,
  answer: string,
  tempo: TempoClient,
  base: Base,
  endSeconds = Date.now() / 1000,
): Promise<Check> {
  const fail = (found: string, hint = q.hint): Check => ({
    ...base,
    verdict: 'fail',
    points: 0,
    found,
    lookedAt: answer,
    hint,
  });
  if (!isMetricsQuery(answer))
    return fail(
      'a search query; this question asks for a TraceQL metrics query (… | sum_over_time(duration) by (…))',
    );
  const window = { start: endSeconds - metricsWindowSeconds, end: endSeconds, stepSeconds };
  let mine: MetricsSeries[];
  try {
    mine = await tempo.metricsRange(answer, window);
  } catch (e) {
    if (!(e instanceof QueryRejected)) throw e;
    return fail(e.message);
  }
  const reference = await tempo.metricsRange(q.reference, window);
  if (reference.length === 0 || total(leader(reference)) === 0) {
    return {
      ...base,
      verdict: 'not-graded',
      points: 0,
      found: 'the reference finds nothing to measure in the last 6 hours',
      lookedAt: answer,
      hint: `let the lab run a minute (dojo scenario set ${q.scenario}) and grade again`,
    };
  }
  const expected = Object.values(leader(reference).labels).map(String);
  if (mine.length < 2)
    return fail(
      `${mine.length} series; a comparison needs one series per group`,
      `group the query with by (…), one series per group. ${q.hint}`,
    );
  const top = leader(mine);
  return Object.values(top.labels).some((v) => expected.includes(String(v)))
    ? {
        ...base,
        verdict: 'pass',
        points: q.points,
        found: `${mine.length} series; the largest is ${describe(top)}`,
        lookedAt: answer,
      }
    : fail(
        `${mine.length} series; the largest is ${describe(top)}, which is not the one that dominates`,
        `measure time, not the number of spans: a stage that runs once per change may still take the longest. ${q.hint}`,
      );
}
