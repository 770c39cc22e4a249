// A seeded random source for the pipeline simulation: the same seed gives the same changes, so tests can
// pin a pipeline's shape, and the distributions a delivery pipeline's timings follow (long right tails).

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** log-normal with the given median; sigma sets the tail (0.5 narrow, 1 wide), clamped to [min, max] */
  logNormal(median: number, sigma: number, min: number, max: number): number;
  /** exponential with the given mean (the gap between Poisson arrivals) */
  exponential(mean: number): number;
  hex(chars: number): string;
}

/** mulberry32: tiny, fast and good enough for a simulation (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    // Box-Muller; 1 - next() keeps the logarithm away from 0.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    logNormal: (median, sigma, min, max) => Math.min(max, Math.max(min, median * Math.exp(sigma * normal()))),
    exponential: (mean) => -mean * Math.log(1 - next()),
    hex: (chars) => {
      let out = '';
      while (out.length < chars) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

/** A seed from text (a commit, a scenario): the same text always plans the same pipeline. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
