// Tempo's power-of-two histograms: a value is counted in the bucket of the next power of two at or
// above it, and a quantile is read from the buckets by exponential interpolation inside the bucket
// where the p-th sample falls (so quantiles of few samples land on bucket bounds such as 0.004194304).

export interface HistogramBucket {
  /** The bucket's upper bound. */
  readonly max: number;
  count: number;
}

/** The next power of two at or above v, as a float; -1 for v < 2 (Tempo drops those spans). */
export function log2Bucketize(v: bigint | number): number {
  if (v < 2) return -1;
  const bits = typeof v === 'number' && v <= 2 ** 53 ? bitLength(v - 1) : (BigInt(v) - 1n).toString(2).length;
  // Go's uint64 shift: 1 << 64 is 0.
  return bits >= 64 ? 0 : 2 ** bits;
}

function bitLength(x: number): number {
  if (x < 2 ** 31) return 32 - Math.clz32(x);
  const hi = Math.floor(x / 2 ** 32);
  return 64 - Math.clz32(hi);
}

/** The p-quantile of buckets sorted by bound. */
export function log2Quantile(p: number, buckets: readonly HistogramBucket[]): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || buckets.length === 0) return 0;
  let totalCount = 0;
  for (const b of buckets) totalCount += b.count;
  if (totalCount === 0) return 0;
  // Round up so that low sample counts still read a whole sample.
  const maxSamples = Math.max(1, Math.ceil(p * totalCount));
  let total = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    bucket = i;
    if (total + b.count > maxSamples) break;
    total += b.count;
    if (total === maxSamples) return b.max;
  }
  const interp = (maxSamples - total) / buckets[bucket]!.count;
  const maxV = Math.log2(buckets[bucket]!.max);
  const minV = bucket > 0 ? Math.log2(buckets[bucket - 1]!.max) : maxV - 1;
  return 2 ** (minV + (maxV - minV) * interp);
}
