// The first stage of a metrics query, where Tempo's queriers turn matching spans into series: group
// by the by() values (a nil value drops its label; all nil keeps the first as "nil"), then count,
// take min/max/sum/avg of the measured value, or count per power-of-two bucket for histograms and
// quantiles — per time bucket of the query.
import type { FieldExpr, MetricsStage, Static } from './ast.ts';
import type { FetchPlan } from './fetch-plan.ts';
import type { Buckets } from './metrics-buckets.ts';
import type { ExemplarPicker } from './metrics-exemplars.ts';
import { log2Bucketize } from './metrics-quantile.ts';
import {
  durationSeconds,
  type Exemplar,
  filledValues,
  type Label,
  labelsKey,
  NIL,
  type SeriesSet,
  staticKey,
  str,
} from './metrics-series.ts';
import { type ValueReader, valueReader } from './metrics-values.ts';
import type { Span, Trace } from './model.ts';
import { show } from './show.ts';
import { toFloat } from './values.ts';

export interface FirstStage {
  observe(span: Span, trace: Trace, interval: number): void;
  /** The series, with exemplars from the picker attached. */
  result(exemplars: Map<string, Exemplar[]>): SeriesSet;
}

export const META_TYPE = '__meta_type';
export const BUCKET_LABEL = '__bucket';
export const COUNT_META = '__count';

/** Go's float64(d) / float64(time.Second) for a span's duration. */
function seconds(durationNs: number): number {
  return durationNs / 1e9;
}

/** The measured value as Tempo floats it: durations in seconds, ints and floats as numbers, else NaN. */
export function measuredValue(
  attr: FieldExpr | undefined,
  plan: FetchPlan,
): (span: Span, trace: Trace) => number {
  if (!attr) return () => Number.NaN;
  if (attr.type === 'intrinsic' && attr.name === 'duration') return (span) => seconds(span.durationNs);
  const read = valueReader(attr, plan, 'always');
  return (span, trace) => toFloat(read(span, trace));
}

/** The power-of-two bucket of a span's measured value (seconds for durations), or undefined to drop it. */
function bucketFn(
  attr: FieldExpr | undefined,
  plan: FetchPlan,
): (span: Span, trace: Trace) => number | undefined {
  if (attr?.type === 'intrinsic' && attr.name === 'duration') {
    return (span) => (span.durationNs < 2 ? undefined : log2Bucketize(span.durationNs) / 1e9);
  }
  if (!attr) return () => undefined;
  const read = valueReader(attr, plan, 'always');
  return (span, trace) => {
    const v = read(span, trace);
    if (v.t === 'int') return v.v < 2n ? undefined : log2Bucketize(v.v);
    if (v.t === 'duration') return v.v < 2n ? undefined : log2Bucketize(v.v) / 1e9;
    // Tempo has no buckets for floats yet.
    return undefined;
  };
}

/** Series labels for a span: by() values without nils, plus a computed label (the histogram bucket). */
export class Grouping {
  private readonly names: string[];
  private readonly readers: ValueReader[];
  private readonly buf: Static[];
  readonly grouped: boolean;

  constructor(by: readonly FieldExpr[], plan: FetchPlan) {
    this.names = by.map((b) => show(b));
    this.readers = by.map((b) => valueReader(b, plan, 'allConditions'));
    this.buf = by.map(() => NIL);
    this.grouped = by.length > 0;
  }

  /** Reads the span's by() values into a reused buffer and returns a key of them. */
  read(span: Span, trace: Trace): string {
    let key = '';
    for (let i = 0; i < this.readers.length; i++) {
      const v = this.readers[i]!(span, trace);
      this.buf[i] = v;
      key += `${staticKey(v)}\u0001`;
    }
    return key;
  }

  /** The labels of the values last read. */
  labels(extra?: Label): Label[] {
    const out: Label[] = [];
    for (let i = 0; i < this.buf.length; i++) {
      const v = this.buf[i]!;
      if (v.t !== 'nil') out.push({ name: this.names[i]!, value: v });
    }
    if (extra) out.push(extra);
    // Prometheus-style series need a label: when every value is nil the first one stays, as nil.
    if (out.length === 0 && this.names.length > 0) out.push({ name: this.names[0]!, value: NIL });
    return out;
  }
}

type Combine = (cur: number, v: number) => number;

/** Kahan-Neumaier step as Tempo's kahanSumInc. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** Tempo's sumOverTime closure: compensated, and restarting after a NaN. */
export function sumOverTime(): Combine {
  let comp = 0;
  return (sum, inc) => {
    if (Number.isNaN(sum)) return inc;
    const [s, c] = kahanSumInc(inc - comp, sum, 0);
    comp = c;
    return s;
  };
}

export const minOverTime: () => Combine = () => (cur, n) => (Number.isNaN(cur) || n < cur ? n : cur);
export const maxOverTime: () => Combine = () => (cur, n) => (Number.isNaN(cur) || n > cur ? n : cur);

interface Acc {
  labels: Label[];
  values: number[];
  /** Per-bucket combiners (min/max/sum) or per-bucket averages. */
  combiners?: (Combine | undefined)[];
  avg?: { mean: number[]; comp: number[]; weight: number[] };
}

/** count_over_time, rate, min/max/sum_over_time, histogram and quantile buckets, avg_over_time. */
export class SpanAggregator implements FirstStage {
  private readonly series = new Map<string, Acc>();
  private readonly grouping: Grouping;
  private readonly kind: 'count' | 'over' | 'avg';
  private readonly value: (span: Span, trace: Trace) => number;
  private readonly bucket?: (span: Span, trace: Trace) => number | undefined;
  private readonly newCombiner?: () => Combine;
  private readonly rateMult: number;
  private readonly name: string;
  private readonly buckets: Buckets;
  private readonly picker: ExemplarPicker | undefined;

  constructor(m: MetricsStage, plan: FetchPlan, buckets: Buckets, picker: ExemplarPicker | undefined) {
    this.grouping = new Grouping(m.by, plan);
    this.buckets = buckets;
    this.picker = picker;
    this.name = m.fn;
    this.rateMult = m.fn === 'rate' ? 1 / durationSeconds(buckets.step) : 1;
    this.value = measuredValue(m.attr, plan);
    switch (m.fn) {
      case 'min_over_time':
      case 'max_over_time':
      case 'sum_over_time':
        this.kind = 'over';
        this.newCombiner =
          m.fn === 'min_over_time' ? minOverTime : m.fn === 'max_over_time' ? maxOverTime : sumOverTime;
        break;
      case 'avg_over_time':
        this.kind = 'avg';
        break;
      case 'histogram_over_time':
      case 'quantile_over_time':
        this.kind = 'count';
        this.bucket = bucketFn(m.attr, plan);
        break;
      default:
        this.kind = 'count';
    }
  }

  private newAcc(labels: Label[]): Acc {
    const n = this.buckets.count;
    const a: Acc = { labels, values: filledValues(n, this.kind === 'count' ? 0 : Number.NaN) };
    if (this.kind === 'over') a.combiners = new Array(n).fill(undefined);
    if (this.kind === 'avg')
      a.avg = {
        mean: filledValues(n, Number.NaN),
        comp: filledValues(n, 0),
        weight: filledValues(n, Number.NaN),
      };
    return a;
  }

  observe(span: Span, trace: Trace, interval: number): void {
    let key = this.grouping.read(span, trace);
    let bucket: number | undefined;
    if (this.bucket) {
      bucket = this.bucket(span, trace);
      if (bucket === undefined) return;
      key += bucket;
    }
    const v = this.kind === 'count' ? Number.NaN : this.value(span, trace);
    // avg skips spans without a value before it makes a series for them.
    if (this.kind === 'avg' && Number.isNaN(v)) return;
    let a = this.series.get(key);
    if (!a) {
      const labels =
        bucket !== undefined
          ? this.grouping.labels({ name: BUCKET_LABEL, value: { t: 'float', v: bucket } })
          : this.grouping.grouped
            ? this.grouping.labels()
            : [{ name: '__name__', value: str(this.name) }];
      a = this.newAcc(labels);
      this.series.set(key, a);
    }
    if (this.kind === 'count') a.values[interval]! += 1;
    else if (this.kind === 'over') {
      const combiners = a.combiners!;
      let c = combiners[interval];
      if (!c) {
        c = this.newCombiner!();
        combiners[interval] = c;
      }
      a.values[interval] = c(a.values[interval]!, v);
    } else addIncrementMean(a.avg!, interval, v);
    if (this.picker) {
      // Counts get their exemplar's value from the sample at the end; quantiles show the span's own.
      const ex =
        this.kind !== 'count' ? v : this.name === 'quantile_over_time' ? this.value(span, trace) : Number.NaN;
      this.picker.offer(key, interval, span, ex);
    }
  }

  result(exemplars: Map<string, Exemplar[]>): SeriesSet {
    const out: SeriesSet = new Map();
    for (const [seriesKey, a] of this.series) {
      const ex = exemplars.get(seriesKey) ?? [];
      const key = labelsKey(a.labels);
      if (this.kind === 'avg') {
        const { mean, comp, weight } = a.avg!;
        const values = mean.map((m, i) => m + comp[i]!);
        out.set(key, { labels: a.labels, values, exemplars: ex });
        const countLabels = [...a.labels, { name: META_TYPE, value: str(COUNT_META) }];
        out.set(labelsKey(countLabels), { labels: countLabels, values: weight.slice(), exemplars: [] });
        continue;
      }
      const values = this.rateMult !== 1 ? a.values.map((c) => c * this.rateMult) : a.values;
      out.set(key, { labels: a.labels, values, exemplars: ex });
    }
    return out;
  }
}

/** Tempo's incremental mean: Kahan-compensated, one span at a time. */
function addIncrementMean(
  avg: { mean: number[]; comp: number[]; weight: number[] },
  i: number,
  inc: number,
): void {
  if (Number.isNaN(avg.mean[i]!)) {
    avg.mean[i] = inc;
    avg.weight[i] = 1;
    avg.comp[i] = 0;
    return;
  }
  const w = avg.weight[i]! + 1;
  avg.weight[i] = w;
  addToMean(avg, i, inc / w - avg.mean[i]! / w);
}

export function addToMean(avg: { mean: number[]; comp: number[] }, i: number, inc: number): void {
  const mean = avg.mean[i]!;
  if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
    if (!Number.isFinite(inc) && !Number.isNaN(inc) && mean > 0 === inc > 0) return;
    if (Number.isFinite(inc)) return;
  }
  const [t, c] = kahanSumInc(inc, mean, avg.comp[i]!);
  avg.mean[i] = t;
  avg.comp[i] = c;
}
