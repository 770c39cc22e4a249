// Exemplars: the trace and span ids behind a series, so a learner can go from a spike in a metric to
// a trace that made it. Tempo samples them at random; we pick deterministically: per series and bucket
// the span that best explains the sample (the slowest, or the one holding the min/max), the most
// recent on ties; and within the query's limit (Tempo's default: 100) the busiest buckets of every
// series first, taken in turn across series so that no series is left without one.

import type { Exemplar, Label } from './metrics-series.ts';
import type { Span, Trace } from './model.ts';

export const DEFAULT_MAX_EXEMPLARS = 100;

/** Which span of a bucket is the most telling: the largest value, the smallest, or the slowest. */
export type Preference = 'max' | 'min' | 'slowest';

interface Pick {
  span: Span;
  trace: Trace | undefined;
  value: number;
  interval: number;
  /** Spans offered for this series and bucket: how busy the bucket was. */
  offered: number;
}

function traceIdLabel(id: string): string {
  const s = id.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

export function exemplarOf(span: Span, value: number, interval: number, trace?: Trace): Exemplar {
  const labels: Label[] = [
    { name: 'trace:id', value: { t: 'string', v: traceIdLabel(span.traceId) } },
    { name: 'span:id', value: { t: 'string', v: span.spanId } },
  ];
  return {
    labels,
    value,
    timestampMs: span.startNs / 1_000_000n,
    interval,
    span,
    ...(trace ? { trace } : {}),
  };
}

function better(pref: Preference, a: Pick, span: Span, value: number): boolean {
  if (pref !== 'slowest') {
    const had = !Number.isNaN(a.value);
    const has = !Number.isNaN(value);
    if (had !== has) return has;
    if (has && value !== a.value) return pref === 'max' ? value > a.value : value < a.value;
  }
  if (span.durationNs !== a.span.durationNs) return span.durationNs > a.span.durationNs;
  if (span.startNs !== a.span.startNs) return span.startNs > a.span.startNs;
  const x = `${span.traceId}${span.spanId}`;
  const y = `${a.span.traceId}${a.span.spanId}`;
  return x > y;
}

export class ExemplarPicker {
  private readonly picks = new Map<string, Map<number, Pick>>();
  private readonly limit: number;
  private readonly pref: Preference;

  constructor(limit: number, pref: Preference) {
    this.limit = limit;
    this.pref = pref;
  }

  offer(seriesKey: string, interval: number, span: Span, value: number, trace?: Trace): void {
    if (this.limit <= 0 || interval < 0) return;
    let byInterval = this.picks.get(seriesKey);
    if (!byInterval) {
      byInterval = new Map();
      this.picks.set(seriesKey, byInterval);
    }
    const cur = byInterval.get(interval);
    if (!cur) byInterval.set(interval, { span, trace, value, interval, offered: 1 });
    else {
      cur.offered++;
      if (better(this.pref, cur, span, value)) {
        cur.span = span;
        cur.trace = trace;
        cur.value = value;
      }
    }
  }

  /** The chosen exemplars per series key, oldest first, at most `limit` in all. */
  finish(): Map<string, Exemplar[]> {
    const queues = [...this.picks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, m]) => ({
        key,
        queue: [...m.values()].sort((a, b) => b.offered - a.offered || b.interval - a.interval),
        chosen: [] as Pick[],
      }));
    let left = this.limit;
    for (let round = 0; left > 0; round++) {
      let any = false;
      for (const q of queues) {
        const p = q.queue[round];
        if (!p || left <= 0) continue;
        q.chosen.push(p);
        left--;
        any = true;
      }
      if (!any) break;
    }
    const out = new Map<string, Exemplar[]>();
    for (const q of queues) {
      if (q.chosen.length === 0) continue;
      q.chosen.sort((a, b) => a.interval - b.interval);
      out.set(
        q.key,
        q.chosen.map((p) => exemplarOf(p.span, p.value, p.interval, p.trace)),
      );
    }
    return out;
  }
}
