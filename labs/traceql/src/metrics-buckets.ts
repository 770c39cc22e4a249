// Time buckets of a metrics query, by Tempo's rule: a range query's window is widened to whole steps
// (plus one leading step), and its sample at t counts spans that START in (t − step, t]; an instant
// query is one bucket over its exact window.

export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/** The buckets of one query: `count` intervals, interval i ending at `start + (i + 1) * step`. */
export interface Buckets {
  readonly instant: boolean;
  /** Unix ns, exclusive. */
  readonly start: bigint;
  /** Unix ns, inclusive. */
  readonly end: bigint;
  readonly step: bigint;
  readonly count: number;
  /** The interval a span starting at `ts` counts in, or -1 outside the window. */
  interval(ts: bigint): number;
  /** The sample timestamp of interval i, unix ms. */
  timestampMs(i: number): bigint;
}

/** Tempo's default step when none is given: about 240 points, on round granularities. */
export function defaultStep(startNs: bigint, endNs: bigint): bigint {
  const delta = endNs - startNs;
  const baseline = delta / 240n;
  const ms = NS_PER_MS;
  if (delta < 60n * NS_PER_S) {
    const g = 50n * ms;
    return baseline > g ? (baseline / g) * g : g;
  }
  for (const g of [
    3600n * NS_PER_S,
    300n * NS_PER_S,
    60n * NS_PER_S,
    15n * NS_PER_S,
    5n * NS_PER_S,
    NS_PER_S,
  ]) {
    if (baseline > g) return (baseline / g) * g;
  }
  return NS_PER_S;
}

function floorMod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** A range query's window as Tempo aligns it: start down to a step (minus one more), end up to one. */
export function alignRange(startNs: bigint, endNs: bigint, step: bigint): { start: bigint; end: bigint } {
  let start = startNs - floorMod(startNs, step);
  const mod = floorMod(endNs, step);
  const end = mod === 0n ? endNs : endNs + (step - mod);
  if (start > step) start -= step;
  return { start, end };
}

export function rangeBuckets(startNs: bigint, endNs: bigint, step: bigint): Buckets {
  const { start, end } = alignRange(startNs, endNs, step);
  const count = Number((end - start) / step);
  // Offsets fit a double exactly for windows under ~100 days; bigint math only for longer ones.
  const exact = end - start < 2n ** 52n;
  const stepN = Number(step);
  return {
    instant: false,
    start,
    end,
    step,
    count,
    interval(ts: bigint): number {
      if (ts <= start || ts > end) return -1;
      if (!exact) {
        const off = ts - start;
        const k = off / step;
        return Number(k * step === off ? k - 1n : k);
      }
      const off = Number(ts - start);
      let k = Math.floor(off / stepN);
      if (k * stepN > off) k--;
      else if ((k + 1) * stepN <= off) k++;
      // Right-closed intervals: a span on a boundary belongs to the interval that ends there.
      return k * stepN === off ? k - 1 : k;
    },
    timestampMs(i: number): bigint {
      return (start + BigInt(i + 1) * step) / NS_PER_MS;
    },
  };
}

export function instantBuckets(startNs: bigint, endNs: bigint): Buckets {
  return {
    instant: true,
    start: startNs,
    end: endNs,
    step: endNs - startNs,
    count: 1,
    interval(ts: bigint): number {
      return ts <= startNs || ts > endNs ? -1 : 0;
    },
    timestampMs(): bigint {
      return endNs / NS_PER_MS;
    },
  };
}
