// TraceQL metrics (/api/metrics/query_range and /api/metrics/query) over a set of traces, answering
// as Tempo 3.0.3 does: its two stages (queriers turn spans into series, the frontend merges them and
// runs topk/bottomk and filters) with the protobuf hand-over between them, its bucket rule, and its
// JSON (camelCase, int64 as strings, zero values left out). Instant queries are one bucket over the
// whole window, without exemplars; range samples carry exemplars (trace and span ids).
import type { MetricsStage, Query } from './ast.ts';
import type { TraceQLError } from './errors.ts';
import { EngineError } from './evaluate.ts';
import { planFetch } from './fetch-plan.ts';
import { type Buckets, defaultStep, instantBuckets, rangeBuckets } from './metrics-buckets.ts';
import { CompareFinalStage, CompareFirstStage } from './metrics-compare.ts';
import { DEFAULT_MAX_EXEMPLARS, ExemplarPicker } from './metrics-exemplars.ts';
import { AvgCombiner, type FinalStage, QuantileCombiner, SimpleCombiner } from './metrics-final-stage.ts';
import { type FirstStage, SpanAggregator } from './metrics-first-stage.ts';
import { applySecondStage } from './metrics-second-stage.ts';
import { type KeyValue, type SeriesSet, toKeyValues, toWire, type WireSeries } from './metrics-series.ts';
import type { Trace } from './model.ts';
import { evaluateTrace, parseTraceQL } from './search.ts';
import { indexTrace } from './trace-index.ts';
import { goDurationString } from './values.ts';

export interface MetricsRangeOptions {
  /** Unix nanoseconds. */
  startNs: bigint;
  endNs: bigint;
  /** Default: Tempo's, about 240 points over the window. */
  stepNs?: bigint;
  /** Exemplars per query (default and most: 100); a `with(exemplars=N)` hint wins. */
  exemplars?: number;
}

export interface MetricsInstantOptions {
  startNs: bigint;
  endNs: bigint;
}

export interface MetricsSample {
  timestampMs: string;
  /** Left out when 0, as Tempo's JSON does. */
  value?: number;
}

export interface MetricsExemplar {
  labels: KeyValue[];
  value?: number;
  timestampMs: string;
}

export interface MetricsSeries {
  labels: KeyValue[];
  samples: MetricsSample[];
  exemplars?: MetricsExemplar[];
}

export interface MetricsStats {
  inspectedTraces?: number;
  inspectedSpans?: string;
  completedJobs: number;
  totalJobs: number;
}

/** Tempo's QueryRangeResponse JSON. `series` is left out when there are none. */
export interface QueryRangeBody {
  series?: MetricsSeries[];
  metrics: MetricsStats;
}

/** Tempo's QueryInstantResponse JSON. */
export interface QueryInstantBody {
  series?: { labels: KeyValue[]; value?: number }[];
  metrics: MetricsStats;
}

export type MetricsFailure = { status: 400 | 500; error: string; detail?: TraceQLError };
export type MetricsRangeResult = { status: 200; body: QueryRangeBody } | MetricsFailure;
export type MetricsInstantResult = { status: 200; body: QueryInstantBody } | MetricsFailure;

/** Tempo's frontend limit on points per series. */
const MAX_INTERVALS = 10_000n;
const MAX_GROUP_BYS = 5;

function compile(
  text: string | Query,
  prefix: string,
): { query: Query; metrics: MetricsStage } | MetricsFailure {
  let query: Query;
  if (typeof text === 'string') {
    const parsed = parseTraceQL(text);
    if (!parsed.ok) return { status: 400, error: `${prefix}${parsed.error.message}`, detail: parsed.error };
    query = parsed.query;
  } else query = text;
  if (!query.metrics) return { status: 400, error: 'not a metrics query' };
  const problem = validate(query);
  if (problem) return { status: 400, error: `${prefix}${problem}` };
  return { query, metrics: query.metrics };
}

/** What Tempo's validate() refuses after parsing. */
function validate(q: Query): string | undefined {
  const m = q.metrics!;
  const bucketed =
    m.fn === 'quantile_over_time' || m.fn === 'histogram_over_time' || m.fn === 'avg_over_time';
  if (m.by.length > MAX_GROUP_BYS || (bucketed && m.by.length >= MAX_GROUP_BYS)) {
    return `unsupported: metrics group by ${m.by.length} values: at most ${bucketed ? MAX_GROUP_BYS - 1 : MAX_GROUP_BYS} by() attributes`;
  }
  for (const p of m.quantiles) if (!(p >= 0 && p <= 1)) return `quantile must be between 0 and 1: ${p}`;
  if (m.compare) {
    const { topN, start, end } = m.compare;
    if (topN <= 0) return 'compare() top number of values must be integer greater than 0';
    if (start !== 0n || end !== 0n) {
      if (start <= 0n || end <= 0n) return 'compare() timestamps must be positive integer unix nanoseconds';
      if (end <= start) return 'compare() end timestamp must be greater than start timestamp';
    }
  }
  for (const s of q.secondStage) if (s.type !== 'filter' && s.n <= 0) return 'limit must be greater than 0';
  return undefined;
}

function exemplarLimit(q: Query, requested: number | undefined): number {
  const hint = q.hints.get('exemplars');
  let n = requested ?? DEFAULT_MAX_EXEMPLARS;
  if (hint?.t === 'int') n = Math.max(Number(hint.v), 0);
  else if (hint?.t === 'bool' && !hint.v) n = 0;
  return Math.min(n, DEFAULT_MAX_EXEMPLARS);
}

interface Run {
  series: WireSeries[];
  stats: MetricsStats;
}

/** Both stages and what follows them; the wire series of the final answer. */
function run(
  query: Query,
  m: MetricsStage,
  traces: Iterable<Trace>,
  buckets: Buckets,
  exemplars: number,
): Run {
  // The span part is fetched and evaluated as a search would; the metrics stage reads its values after.
  const plan = planFetch({ ...query, metrics: undefined });
  const picker = exemplars > 0 && !buckets.instant ? new ExemplarPicker(exemplars, preference(m)) : undefined;
  const first: FirstStage =
    m.fn === 'compare'
      ? new CompareFirstStage(m, plan, buckets, picker)
      : new SpanAggregator(m, plan, buckets, picker);
  let inspectedTraces = 0;
  let inspectedSpans = 0;
  for (const trace of traces) {
    indexTrace(trace);
    if (trace.startNs > buckets.end || trace.endNs <= buckets.start) continue;
    inspectedTraces++;
    inspectedSpans += trace.spans.length;
    for (const ss of evaluateTrace(query, plan, trace)) {
      for (const span of ss.spans) {
        const i = buckets.interval(span.startNs);
        if (i >= 0) first.observe(span, trace, i);
      }
    }
  }
  const raw = first.result(picker?.finish() ?? new Map());
  const final = finalStage(m, buckets);
  final.combine(toWire(raw, buckets));
  const set: SeriesSet = applySecondStage(query.secondStage, final.result(), buckets.count);
  const stats: MetricsStats = {
    ...(inspectedTraces > 0 ? { inspectedTraces, inspectedSpans: String(inspectedSpans) } : {}),
    completedJobs: 1,
    totalJobs: 1,
  };
  return { series: sortSeries(toWire(set, buckets)), stats };
}

function preference(m: MetricsStage): 'max' | 'min' | 'slowest' {
  return m.fn === 'max_over_time' ? 'max' : m.fn === 'min_over_time' ? 'min' : 'slowest';
}

function finalStage(m: MetricsStage, buckets: Buckets): FinalStage {
  switch (m.fn) {
    case 'quantile_over_time':
      return new QuantileCombiner(m.quantiles, buckets);
    case 'avg_over_time':
      return new AvgCombiner(buckets);
    case 'compare':
      return new CompareFinalStage(m, buckets);
    case 'min_over_time':
      return new SimpleCombiner('min', buckets);
    case 'max_over_time':
      return new SimpleCombiner('max', buckets);
    case 'sum_over_time':
      return new SimpleCombiner('sumOverTime', buckets);
    default:
      return new SimpleCombiner('sum', buckets);
  }
}

/** Tempo's sortResponse: fewer labels first, then by label keys and values. */
function sortSeries(series: WireSeries[]): WireSeries[] {
  const text = (kv: KeyValue) => `${kv.key}\u0000${JSON.stringify(kv.value)}`;
  return series.sort((a, b) => {
    if (a.labels.length !== b.labels.length) return a.labels.length - b.labels.length;
    for (let i = 0; i < a.labels.length; i++) {
      const x = text(a.labels[i]!);
      const y = text(b.labels[i]!);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

function rangeSeries(ws: WireSeries, buckets: Buckets): MetricsSeries {
  const samples = ws.samples.map(({ interval, value }): MetricsSample => {
    const ts = buckets.timestampMs(interval).toString();
    return value === 0 ? { timestampMs: ts } : { timestampMs: ts, value };
  });
  const exemplars: MetricsExemplar[] = [];
  for (const e of [...ws.exemplars].sort((a, b) =>
    a.timestampMs < b.timestampMs ? -1 : a.timestampMs > b.timestampMs ? 1 : 0,
  )) {
    // Counts' exemplars take the value of the sample in their bucket, as Tempo's frontend does.
    const value = Number.isNaN(e.value) ? ws.samples.find((s) => s.interval === e.interval)?.value : e.value;
    if (value === undefined || Number.isNaN(value)) continue;
    exemplars.push({
      labels: toKeyValues(e.labels),
      ...(value !== 0 ? { value } : {}),
      timestampMs: e.timestampMs.toString(),
    });
  }
  return { labels: ws.labels, samples, ...(exemplars.length > 0 ? { exemplars } : {}) };
}

function guarded<T>(f: () => T): T | MetricsFailure {
  try {
    return f();
  } catch (e) {
    if (e instanceof EngineError) return { status: 500, error: e.message };
    throw e;
  }
}

/** /api/metrics/query_range. */
export function metricsQueryRange(
  text: string | Query,
  traces: Iterable<Trace>,
  opts: MetricsRangeOptions,
): MetricsRangeResult {
  const c = compile(text, '');
  if ('status' in c) return c;
  const { startNs, endNs } = opts;
  if (startNs <= 0n || endNs <= 0n)
    return { status: 400, error: 'start and end are required, in unix nanoseconds' };
  if (startNs >= endNs) return { status: 400, error: 'end must be greater than start' };
  const step = opts.stepNs ?? defaultStep(startNs, endNs);
  if (step <= 0n) return { status: 400, error: 'step must be greater than 0' };
  if ((endNs - startNs) / step > MAX_INTERVALS) {
    return {
      status: 400,
      error: `step of ${goDurationString(step)} is too small, minimum step for given range is ${goDurationString((endNs - startNs) / MAX_INTERVALS)}`,
    };
  }
  const buckets = rangeBuckets(startNs, endNs, step);
  const exemplars = exemplarLimit(c.query, opts.exemplars);
  const r = guarded(() => run(c.query, c.metrics, traces, buckets, exemplars));
  if ('status' in r) return r;
  const series = r.series.map((ws) => rangeSeries(ws, buckets));
  return { status: 200, body: { ...(series.length > 0 ? { series } : {}), metrics: r.stats } };
}

/** /api/metrics/query: the range machinery with one step spanning the window. */
export function metricsQueryInstant(
  text: string | Query,
  traces: Iterable<Trace>,
  opts: MetricsInstantOptions,
): MetricsInstantResult {
  const c = compile(text, 'compiling query: ');
  if ('status' in c) return c;
  const { startNs, endNs } = opts;
  if (startNs <= 0n || endNs <= 0n)
    return { status: 400, error: 'start and end are required, in unix nanoseconds' };
  if (endNs <= startNs) return { status: 400, error: 'end must be greater than start' };
  const r = guarded(() => run(c.query, c.metrics, traces, instantBuckets(startNs, endNs), 0));
  if ('status' in r) return r;
  const series = r.series.map((ws) => {
    const value = ws.samples[0]!.value;
    return value === 0 ? { labels: ws.labels } : { labels: ws.labels, value };
  });
  return { status: 200, body: { ...(series.length > 0 ? { series } : {}), metrics: r.stats } };
}
