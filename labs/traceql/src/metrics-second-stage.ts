// What follows a metrics function: topk/bottomk keep, at every timestamp, the k series with the
// largest/smallest values (ties broken by label values, as Tempo's deterministic heap does), and a
// comparison filter drops the samples that fail it; a series left without samples disappears.
import type { SecondStage } from './ast.ts';
import type { Label, Series, SeriesSet } from './metrics-series.ts';
import { compareStrings } from './values.ts';

/** Tempo's compareSeriesMapKey: label values then names, reversed so that "a" ranks above "b". */
function compareKeys(a: readonly Label[], b: readonly Label[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    const c = compareStrings(strPart(x), strPart(y));
    if (c !== 0) return -c;
    const cn = compareStrings(x?.name ?? '', y?.name ?? '');
    if (cn !== 0) return -cn;
    const tx = typeRank(x);
    const ty = typeRank(y);
    if (tx !== ty) return tx < ty ? -1 : 1;
    const cx = code(x);
    const cy = code(y);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return 0;
}

function strPart(l: Label | undefined): string {
  return l?.value.t === 'string' ? l.value.v : '';
}

// Tempo's StaticType order: nil, spanset, attribute, int, float, string, bool, …
const TYPE_RANK: Record<string, number> = { nil: 0, int: 3, float: 4, string: 5, bool: 6 };

function typeRank(l: Label | undefined): number {
  return l ? (TYPE_RANK[l.value.t] ?? 99) : 0;
}

/** The scalar part of a map key, as an unsigned 64-bit number (Go stores ints and float bits there). */
function code(l: Label | undefined): bigint {
  if (!l) return 0n;
  const v = l.value;
  switch (v.t) {
    case 'int':
      return BigInt.asUintN(64, v.v);
    case 'float': {
      const buf = new DataView(new ArrayBuffer(8));
      buf.setFloat64(0, v.v);
      return buf.getBigUint64(0);
    }
    case 'bool':
      return v.v ? 1n : 0n;
    default:
      return 0n;
  }
}

function topOrBottom(input: SeriesSet, length: number, k: number, top: boolean): SeriesSet {
  if (input.size <= k) return input;
  const out: SeriesSet = new Map();
  const entries = [...input.entries()];
  for (let i = 0; i < length; i++) {
    const candidates = entries.filter(([, s]) => i < s.values.length && !Number.isNaN(s.values[i]!));
    candidates.sort(([, a], [, b]) => {
      const va = a.values[i]!;
      const vb = b.values[i]!;
      if (va !== vb) return top ? vb - va : va - vb;
      // Equal values: topk prefers the key that compares greater, bottomk the one that compares less.
      const c = compareKeys(a.labels, b.labels);
      return top ? -c : c;
    });
    for (const [key, s] of candidates.slice(0, k)) {
      let r = out.get(key);
      if (!r) {
        r = { labels: s.labels, values: new Array<number>(length).fill(Number.NaN), exemplars: s.exemplars };
        out.set(key, r);
      }
      r.values[i] = s.values[i]!;
    }
  }
  return out;
}

function compare(op: string, v: number, x: number): boolean {
  switch (op) {
    case '>':
      return v > x;
    case '>=':
      return v >= x;
    case '<':
      return v < x;
    case '<=':
      return v <= x;
    case '=':
      return v === x;
    case '!=':
      return v !== x;
  }
  return false;
}

function filter(input: SeriesSet, op: string, x: number): SeriesSet {
  const out: SeriesSet = new Map();
  for (const [key, s] of input) {
    const values = s.values.map((v) => (Number.isNaN(v) || !compare(op, v, x) ? Number.NaN : v));
    if (values.every((v) => Number.isNaN(v))) continue;
    // Tempo keeps an exemplar only if its own value passes; a count's exemplar (valued later) then
    // never would, so here one stays when the sample of its bucket does.
    const exemplars = s.exemplars.filter((e) => !Number.isNaN(values[e.interval] ?? Number.NaN));
    const series: Series = { labels: s.labels, values, exemplars };
    out.set(key, series);
  }
  return out;
}

export function applySecondStage(
  stages: readonly SecondStage[],
  input: SeriesSet,
  length: number,
): SeriesSet {
  let set = input;
  for (const st of stages) {
    if (st.type === 'filter') set = filter(set, st.op, st.value);
    else set = topOrBottom(set, length, st.n, st.type === 'topk');
  }
  return set;
}
