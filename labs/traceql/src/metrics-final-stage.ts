// The final stage of a metrics query, where Tempo's query-frontend merges the series its queriers
// sent: sums (counts, rates, histograms), min/max/sum_over_time, weighted means for avg_over_time,
// and quantiles computed from the merged power-of-two histograms.
import type { Buckets } from './metrics-buckets.ts';
import {
  addToMean,
  BUCKET_LABEL,
  META_TYPE,
  maxOverTime,
  minOverTime,
  sumOverTime,
} from './metrics-first-stage.ts';
import { type HistogramBucket, log2Quantile } from './metrics-quantile.ts';
import {
  type Exemplar,
  filledValues,
  fromKeyValues,
  type Label,
  labelsKey,
  type Series,
  type SeriesSet,
  type WireSeries,
} from './metrics-series.ts';

export interface FinalStage {
  combine(series: readonly WireSeries[]): void;
  result(): SeriesSet;
}

type Op = 'sum' | 'min' | 'max' | 'sumOverTime';

/** Tempo's SimpleAggregator: one series per label set, samples merged bucket by bucket. */
export class SimpleCombiner implements FinalStage {
  private readonly set: SeriesSet = new Map();
  private readonly f: (cur: number, v: number) => number;
  private readonly init: number;
  private readonly n: number;

  constructor(op: Op, buckets: Buckets) {
    this.n = buckets.count;
    this.init = op === 'sum' ? 0 : Number.NaN;
    // One combiner for the whole set, as in Tempo (its compensation is shared).
    this.f =
      op === 'sum'
        ? (a, b) => a + b
        : op === 'min'
          ? minOverTime()
          : op === 'max'
            ? maxOverTime()
            : sumOverTime();
  }

  combine(series: readonly WireSeries[]): void {
    for (const ws of series) {
      const labels = fromKeyValues(ws.labels);
      const key = labelsKey(labels);
      let s = this.set.get(key);
      if (!s) {
        s = { labels, values: filledValues(this.n, this.init), exemplars: [] };
        this.set.set(key, s);
      }
      for (const { interval, value } of ws.samples) s.values[interval] = this.f(s.values[interval]!, value);
      s.exemplars.push(...ws.exemplars);
    }
  }

  result(): SeriesSet {
    return this.set;
  }
}

interface HistSeries {
  labels: Label[];
  hist: HistogramBucket[][];
  exemplars: Exemplar[];
}

/** quantile_over_time: merges the bucket counts, then reads each quantile per time bucket. */
export class QuantileCombiner implements FinalStage {
  private readonly ss = new Map<string, HistSeries>();
  private readonly qs: readonly number[];
  private readonly n: number;

  constructor(qs: readonly number[], buckets: Buckets) {
    this.qs = qs;
    this.n = buckets.count;
  }

  combine(series: readonly WireSeries[]): void {
    for (const ws of series) {
      const all = fromKeyValues(ws.labels);
      const bucketLabel = all.find((l) => l.name === BUCKET_LABEL);
      if (!bucketLabel || bucketLabel.value.t === 'nil') continue;
      const b = bucketLabel.value.t === 'float' ? bucketLabel.value.v : Number.NaN;
      const labels = all.filter((l) => l.name !== BUCKET_LABEL);
      const key = labelsKey(labels);
      let s = this.ss.get(key);
      if (!s) {
        s = { labels, hist: Array.from({ length: this.n }, () => []), exemplars: [] };
        this.ss.set(key, s);
      }
      for (const { interval, value } of ws.samples) {
        if (value === 0) continue;
        record(s.hist[interval]!, b, Math.trunc(value));
      }
      s.exemplars.push(...ws.exemplars);
    }
  }

  result(): SeriesSet {
    // Exemplars go to the quantile whose value over the whole query is closest to theirs.
    const merged: HistogramBucket[] = [];
    for (const s of this.ss.values())
      for (const h of s.hist) for (const b of h) record(merged, b.max, b.count);
    merged.sort((a, b) => a.max - b.max);
    const overall = this.qs.map((q) => log2Quantile(q, merged));
    const out: SeriesSet = new Map();
    for (const s of this.ss.values()) {
      for (const h of s.hist) h.sort((a, b) => a.max - b.max);
      this.qs.forEach((q, qi) => {
        const labels: Label[] = [...s.labels, { name: 'p', value: { t: 'float', v: q } }];
        const values = s.hist.map((h) => (h.length === 0 ? 0 : log2Quantile(q, h)));
        const exemplars =
          merged.length === 0 ? [] : s.exemplars.filter((e) => closest(e.value, overall) === qi);
        out.set(labelsKey(labels), { labels, values, exemplars });
      });
    }
    return out;
  }
}

function record(h: HistogramBucket[], max: number, count: number): void {
  for (const b of h) {
    if (b.max === max) {
      b.count += count;
      return;
    }
  }
  h.push({ max, count });
}

function closest(v: number, values: readonly number[]): number {
  let best = -1;
  let bestDiff = Number.POSITIVE_INFINITY;
  values.forEach((x, i) => {
    const d = Math.abs(v - x);
    if (d < bestDiff) {
      bestDiff = d;
      best = i;
    }
  });
  return best;
}

interface AvgSeries {
  labels: Label[];
  mean: number[];
  comp: number[];
  weight: number[];
  exemplars: Exemplar[];
}

/** avg_over_time: means weighted by the `__meta_type="__count"` series sent alongside each one. */
export class AvgCombiner implements FinalStage {
  private readonly avg = new Map<string, AvgSeries>();
  private readonly n: number;

  constructor(buckets: Buckets) {
    this.n = buckets.count;
  }

  combine(series: readonly WireSeries[]): void {
    const counts = new Map<string, WireSeries>();
    for (const ws of series) {
      const labels = fromKeyValues(ws.labels);
      if (labels.some((l) => l.name === META_TYPE)) {
        counts.set(labelsKey(labels.filter((l) => l.name !== META_TYPE)), ws);
        continue;
      }
      const key = labelsKey(labels);
      if (!this.avg.has(key)) {
        const n = this.n;
        this.avg.set(key, {
          labels,
          mean: filledValues(n, Number.NaN),
          comp: filledValues(n, 0),
          weight: filledValues(n, Number.NaN),
          exemplars: [],
        });
      }
    }
    for (const ws of series) {
      const labels = fromKeyValues(ws.labels);
      const key = labelsKey(labels);
      const s = this.avg.get(key);
      const count = counts.get(key);
      if (!s || !count) continue;
      ws.samples.forEach(({ interval, value }, i) => {
        addWeightedMean(s, interval, value, count.samples[i]?.value ?? Number.NaN);
      });
      s.exemplars.push(...ws.exemplars);
    }
  }

  result(): SeriesSet {
    const out: SeriesSet = new Map();
    for (const [key, s] of this.avg) {
      const series: Series = {
        labels: s.labels,
        values: s.mean.map((m, i) => m + s.comp[i]!),
        exemplars: s.exemplars,
      };
      out.set(key, series);
    }
    return out;
  }
}

function addWeightedMean(s: AvgSeries, i: number, mean: number, weight: number): void {
  if (Number.isNaN(s.mean[i]!) && !Number.isNaN(mean)) {
    s.mean[i] = mean;
    s.weight[i] = weight;
    s.comp[i] = 0;
    return;
  }
  const sumWeights = s.weight[i]! + weight;
  const delta = ((mean - s.mean[i]!) * weight) / sumWeights - s.comp[i]!;
  addToMean(s, i, delta);
  s.weight[i] = sumWeights;
}
