// `dojo grade dora`: the learner's lead time (median, p90) and change failure rate over the last N
// production deploys, checked against what the grader computes from the same pipeline traces in Tempo,
// and each figure against what the learner's own queries really produce.
import { UserError } from '@dojo/course';
import { type DoraAnswers, doraExample, readDoraAnswers } from './dora-answers.ts';
import {
  changesOf,
  durationTolerance,
  formatMinutes,
  formatRate,
  lastN,
  quantileRange,
  withinQuantile,
  withinRate,
} from './dora-values.ts';
import type { Check, Grade } from './grade-model.ts';
import { QueryRejected, type SearchOptions, type TempoClient } from './tempo-client.ts';
import { checkTraceql, describeSyntaxError } from './traceql-syntax.ts';

/** The grader's own definition of a production deploy: a production sync that succeeded. */
export const productionDeploys =
  '{ resource.service.name = "argocd" && span.cicd.pipeline.task.name = "deploy-production" && status != error }';
export const defaultDeploys = 20;
/** The lab's store keeps an hour of traces; as_of must leave room for N deploys before it. */
const lookbackMs = 60 * 60_000;
const maxAgeMs = 50 * 60_000;

interface Reference {
  n: number;
  asOfMs: number;
  leadTimes: number[];
  deployIds: string[];
  /** every production deploy complete by as_of in the window, and which of the last N were rolled back */
  allDeploys: Set<string>;
  failedIds: Set<string>;
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export async function gradeDora(where: string, tempo: TempoClient, nowMs = Date.now()): Promise<Grade> {
  const answers = readDoraAnswers(where);
  const asOfMs = answers.asOfMs ?? nowMs;
  if (asOfMs > nowMs + 60_000)
    throw new UserError(
      `${answers.path}: as_of ${when(asOfMs)} is in the future; write when you ran the queries`,
    );
  if (asOfMs < nowMs - maxAgeMs)
    throw new UserError(
      `${answers.path}: as_of ${when(asOfMs)} is more than ${maxAgeMs / 60_000} minutes ago, older than the traces the lab keeps; run your queries again and write the new time`,
    );
  const n = answers.deploys ?? defaultDeploys;
  const window: SearchOptions = {
    start: (asOfMs - lookbackMs) / 1000,
    end: asOfMs / 1000 + 1,
    limit: 1000,
    spss: 50,
  };
  const context: Context = { answers, tempo, window, n, asOfMs };
  const missing = missingChecks(answers, n, asOfMs);
  if (missing.length === 5) return grade(missing);

  const reference = await referenceFigures(tempo, window, n, asOfMs);
  if (!reference) {
    return grade(
      ids.map(([id, title]) => ({
        id,
        title,
        verdict: 'not-graded',
        points: 0,
        maxPoints: 20,
        expected: `${n} production deploys completed before ${when(asOfMs)}`,
        found: 'fewer production deploys than that in the traces',
        lookedAt: productionDeploys,
        hint: 'let the pipeline run a few minutes (a few changes finish per minute), query again and write the new as_of',
      })),
    );
  }
  const checks: Check[] = [];
  for (const [id] of ids) {
    const done = missing.find((c) => c.id === id);
    checks.push(done ?? (await gradeOne(id, context, reference)));
  }
  return grade(checks);
}

interface Context {
  answers: DoraAnswers;
  tempo: TempoClient;
  window: SearchOptions;
  n: number;
  asOfMs: number;
}

const ids = [
  ['dora-lead-time-median', 'Lead time for changes: median'],
  ['dora-lead-time-p90', 'Lead time for changes: 90th percentile'],
  ['dora-lead-time-query', 'The lead-time query produces those figures'],
  ['dora-change-failure-rate', 'Change failure rate'],
  ['dora-change-failure-rate-queries', 'The deploy and failure queries produce that rate'],
] as const;
type CheckId = (typeof ids)[number][0];

const grade = (checks: Check[]): Grade => ({ lab: 'dora', title: 'DORA metrics from traces', checks });

function base(id: CheckId, expected: string, lookedAt?: string) {
  const title = ids.find(([i]) => i === id)![1];
  return { id, title, maxPoints: 20, expected, ...(lookedAt ? { lookedAt } : {}) };
}

const fail = (b: ReturnType<typeof base>, found: string, hint: string): Check => ({
  ...b,
  verdict: 'fail',
  points: 0,
  found,
  hint,
});
const pass = (b: ReturnType<typeof base>, found: string): Check => ({
  ...b,
  verdict: 'pass',
  points: 20,
  found,
});

/** The checks that fail without asking Tempo: the parts of dora.yaml that are not there. */
function missingChecks(a: DoraAnswers, n: number, asOfMs: number): Check[] {
  const empty = !a.leadTime && !a.changeFailureRate && a.deploys === undefined && a.asOfMs === undefined;
  const hint = (what: string) =>
    empty
      ? `${a.path} is empty: write your figures and queries in it, like\n${doraExample}`
      : `write ${what} in ${a.path} (the DORA lab shows the format)`;
  const scope = `the last ${n} production deploys completed before ${when(asOfMs)}`;
  const out: Check[] = [];
  const missing = (id: CheckId, expected: string, found: string, what: string) =>
    out.push(fail(base(id, expected), found, hint(what)));
  if (a.leadTime?.medianMs === undefined)
    missing(
      'dora-lead-time-median',
      `the median lead time of ${scope}`,
      'no lead_time.median',
      'lead_time.median (a duration, like 48m)',
    );
  if (a.leadTime?.p90Ms === undefined)
    missing(
      'dora-lead-time-p90',
      `the p90 lead time of ${scope}`,
      'no lead_time.p90',
      'lead_time.p90 (a duration, like 3h 10m)',
    );
  if (!a.leadTime?.query || a.leadTime.medianMs === undefined || a.leadTime.p90Ms === undefined)
    missing(
      'dora-lead-time-query',
      'a query whose matched spans give your median and p90',
      a.leadTime?.query ? 'no figures to compare the query with' : 'no lead_time.query',
      'lead_time.query (the TraceQL you measured lead times with) and both figures',
    );
  if (a.changeFailureRate?.value === undefined)
    missing(
      'dora-change-failure-rate',
      `the change failure rate of ${scope}`,
      'no change_failure_rate.value',
      'change_failure_rate.value (like 15%)',
    );
  const c = a.changeFailureRate;
  if (!c?.deploysQuery || !c.failuresQuery || c.value === undefined)
    missing(
      'dora-change-failure-rate-queries',
      'queries whose answers give your rate',
      !c?.deploysQuery
        ? 'no change_failure_rate.deploys_query'
        : !c.failuresQuery
          ? 'no change_failure_rate.failures_query'
          : 'no rate to compare the queries with',
      'change_failure_rate.deploys_query and failures_query (TraceQL) and the value',
    );
  return out;
}

/** The last N production deploys completed by as_of, each trace read whole: its root span is its lead time. */
async function referenceFigures(
  tempo: TempoClient,
  window: SearchOptions,
  n: number,
  asOfMs: number,
): Promise<Reference | undefined> {
  const all = changesOf(await tempo.search(productionDeploys, window), asOfMs).changes;
  const deploys = lastN(all, n);
  if (deploys.length < n) return undefined;
  const leadTimes: number[] = [];
  const failedIds = new Set<string>();
  for (const d of deploys) {
    const trace = await tempo.trace(d.traceId);
    const root = trace?.spans.find((s) => s.parentSpanId === '');
    if (!trace || !root)
      throw new UserError(`trace ${d.traceId} vanished from Tempo while grading; grade again`);
    leadTimes.push(root.durationMs);
    if (trace.spans.some((s) => s.attributes['cicd.pipeline.task.name'] === 'rollback'))
      failedIds.add(d.traceId);
  }
  return {
    n,
    asOfMs,
    leadTimes,
    deployIds: deploys.map((d) => d.traceId),
    allDeploys: new Set(all.map((d) => d.traceId)),
    failedIds,
  };
}

/** Runs a learner's query; a query that is not valid TraceQL or that Tempo refuses is a failed check. */
async function run(tempo: TempoClient, query: string, window: SearchOptions) {
  const syntax = checkTraceql(query);
  if (!syntax.ok) return { error: `invalid TraceQL, ${describeSyntaxError(syntax)}` };
  try {
    return { matches: await tempo.search(query, window) };
  } catch (e) {
    if (e instanceof QueryRejected) return { error: e.message };
    throw e;
  }
}

const direction = (stated: number, range: { low: number; high: number }) =>
  stated < range.low ? 'too low' : stated > range.high ? 'too high' : 'close, but outside the tolerance';

async function gradeOne(id: CheckId, ctx: Context, ref: Reference): Promise<Check> {
  const { answers, n, asOfMs } = ctx;
  const scope = `the last ${n} production deploys completed before ${when(asOfMs)}`;
  const leadHint =
    "Lead time runs from the commit to the end of the production deploy: the duration of the pipeline run's root span (RUN …-delivery). Take the changes whose traces ended last (a deploy that was rolled back ends with its rollback), rolled-back ones included.";
  switch (id) {
    case 'dora-lead-time-median':
    case 'dora-lead-time-p90': {
      const p = id === 'dora-lead-time-median' ? 0.5 : 0.9;
      const stated = (p === 0.5 ? answers.leadTime?.medianMs : answers.leadTime?.p90Ms)!;
      const range = quantileRange(ref.leadTimes, p);
      const b = base(
        id,
        `the ${p === 0.5 ? 'median' : 'p90'} lead time of ${scope} (±${durationTolerance.relative * 100} %)`,
      );
      return withinQuantile(stated, range)
        ? pass(
            b,
            `${formatMinutes(stated)} (between ${formatMinutes(range.low)} and ${formatMinutes(range.high)})`,
          )
        : fail(b, `you wrote ${formatMinutes(stated)}: ${direction(stated, range)}`, leadHint);
    }
    case 'dora-lead-time-query': {
      const { query, medianMs, p90Ms } = answers.leadTime as Required<NonNullable<DoraAnswers['leadTime']>>;
      const b = base(id, `its matched spans over ${scope} give your median and p90`, query);
      const result = await run(ctx.tempo, query, ctx.window);
      if (result.error) return fail(b, result.error, 'fix the query, run it again and write what it gives');
      const { changes, ambiguous } = changesOf(result.matches!, asOfMs);
      if (ambiguous.length > 0)
        return fail(
          b,
          `it matches several spans in ${ambiguous.length} traces (e.g. ${ambiguous[0]}), so it does not say which one is the lead time`,
          "match one span per change: the pipeline run's root span, whose duration is the change's lead time",
        );
      const strangers = changes.filter((c) => !ref.allDeploys.has(c.traceId));
      if (strangers.length > 0)
        return fail(
          b,
          `${strangers.length} of the changes it finds never reached production (e.g. trace ${strangers[0]!.traceId})`,
          'count only changes that reached production: a pipeline that failed in CI deployed nothing',
        );
      const mine = lastN(changes, n);
      if (mine.length < n)
        return fail(
          b,
          `it finds ${changes.length} changes deployed before ${when(asOfMs)}; ${n} are needed`,
          'it is too narrow: it must find every change that reached production',
        );
      const values = mine.map((c) => c.valueMs);
      const median = quantileRange(values, 0.5);
      const p90 = quantileRange(values, 0.9);
      const found = `its last ${n} changes give a median of ${formatMinutes(median.mid)} and a p90 of ${formatMinutes(p90.mid)}`;
      if (withinQuantile(medianMs, median) && withinQuantile(p90Ms, p90)) return pass(b, found);
      const sameChanges = mine.every((c) => ref.deployIds.includes(c.traceId));
      return fail(
        b,
        `${found}; you wrote ${formatMinutes(medianMs)} and ${formatMinutes(p90Ms)}`,
        sameChanges
          ? 'write the figures your query gives (the durations of the spans it matches), or fix the query so that its spans are the lead times'
          : `it selects other changes than ${scope}. ${leadHint}`,
      );
    }
    case 'dora-change-failure-rate': {
      const stated = answers.changeFailureRate!.value!;
      const actual = ref.failedIds.size / n;
      const b = base(id, `the share of ${scope} that were rolled back (±1 deploy: ${formatRate(1 / n)})`);
      return withinRate(stated, actual, n)
        ? pass(b, `${formatRate(stated)} (${ref.failedIds.size} of ${n})`)
        : fail(
            b,
            `you wrote ${formatRate(stated)}: ${stated < actual ? 'too low' : 'too high'}`,
            'a change failed in production when its deploy was rolled back: its trace holds a rollback task below the production deploy. Count those among the last N production deploys (by when their traces ended) and divide by N.',
          );
    }
    case 'dora-change-failure-rate-queries': {
      const { deploysQuery, failuresQuery, value } = answers.changeFailureRate as Required<
        NonNullable<DoraAnswers['changeFailureRate']>
      >;
      const b = base(
        id,
        `the failures among the last ${n} deploys your deploys query finds, over ${n}`,
        `${deploysQuery}  ·  ${failuresQuery}`,
      );
      const deploys = await run(ctx.tempo, deploysQuery, ctx.window);
      if (deploys.error) return fail(b, `deploys_query: ${deploys.error}`, 'fix the query, run it again');
      const failures = await run(ctx.tempo, failuresQuery, ctx.window);
      if (failures.error) return fail(b, `failures_query: ${failures.error}`, 'fix the query, run it again');
      const found = changesOf(deploys.matches!, asOfMs).changes;
      const strangers = found.filter((c) => !ref.allDeploys.has(c.traceId));
      if (strangers.length > 0)
        return fail(
          b,
          `deploys_query finds ${strangers.length} changes that never reached production (e.g. trace ${strangers[0]!.traceId})`,
          'a deploy is a production sync that succeeded: a failed sync, or a pipeline that failed in CI, is not one',
        );
      const mine = lastN(found, n);
      if (mine.length < n)
        return fail(
          b,
          `deploys_query finds ${mine.length} deploys before ${when(asOfMs)}; ${n} are needed`,
          'it must find every production deploy',
        );
      const failed = new Set(failures.matches!.map((t) => t.traceId));
      if (mine.every((c) => ref.deployIds.includes(c.traceId))) {
        const wrong = mine.filter((c) => failed.has(c.traceId) && !ref.failedIds.has(c.traceId));
        const missed = [...ref.failedIds].filter((id) => !failed.has(id));
        if (wrong.length > 0 || missed.length > 0)
          return fail(
            b,
            wrong.length > 0
              ? `failures_query counts ${wrong.length} of those deploys that were not rolled back (e.g. trace ${wrong[0]!.traceId})`
              : `failures_query misses ${missed.length} of those deploys that were rolled back (e.g. trace ${missed[0]})`,
            'a failed change is one whose production deploy was rolled back: its trace holds the rollback task',
          );
      }
      const k = mine.filter((c) => failed.has(c.traceId)).length;
      const produced = `${k} of the last ${n} deploys it finds are among the failures: ${formatRate(k / n)}`;
      if (withinRate(value, k / n, n)) return pass(b, produced);
      const sameDeploys = mine.every((c) => ref.deployIds.includes(c.traceId));
      return fail(
        b,
        `${produced}; you wrote ${formatRate(value)}`,
        sameDeploys
          ? 'write the rate your queries give, or fix failures_query so that it finds exactly the rolled-back changes'
          : `deploys_query finds other changes than ${scope} (a failed production sync is not a deploy; a pipeline that failed in CI never deployed)`,
      );
    }
  }
}
