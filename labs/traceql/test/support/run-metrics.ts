// Metrics cases of the oracle: our range and instant answers, normalized as the oracle's README says
// (sample timestamps as offsets from the base, series sorted by labels, a sample sent without value
// is 0, one not sent is null, exemplars dropped), compared with what Tempo answered.
import { metricsQueryInstant, metricsQueryRange, type Trace } from '@dojo/traceql';
import { type Oracle, type OracleQuery, sameJson } from './oracle.ts';
import { BASE_NS, type CaseResult } from './run-oracle.ts';

type Json = Record<string, unknown>;
type Labels = { key: string; value: Json }[];

/** A float as Python's repr writes it (the oracle's recorder sorted with Python's json.dumps). */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const [mant, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const [int, frac] =
    exp >= 0
      ? [digits.slice(0, exp + 1).padEnd(exp + 1, '0'), digits.slice(exp + 1)]
      : ['0', '0'.repeat(-exp - 1) + digits];
  return `${neg ? '-' : ''}${int}.${frac === '' ? '0' : frac}`;
}

/** Python's json.dumps (ensure_ascii, ", " and ": "): the key the oracle's series are sorted by. */
function pyJson(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return pyFloat(v);
  if (typeof v === 'string')
    return JSON.stringify(v).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  return `{${Object.entries(v as Json)
    .map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`)
    .join(', ')}}`;
}

function sortByLabels<T extends { labels: Labels }>(series: T[]): T[] {
  return series.sort((a, b) => {
    const x = pyJson(a.labels);
    const y = pyJson(b.labels);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

interface RangeSeries {
  labels: Labels;
  samples: { timestampMs: string; value?: number }[];
}

export function normalizeRange(body: { series?: RangeSeries[] }, base: bigint): Json {
  const baseMs = base / 1_000_000n;
  const series = body.series ?? [];
  const offsets = new Set<number>();
  for (const s of series) for (const p of s.samples) offsets.add(Number(BigInt(p.timestampMs) - baseMs));
  const bucketOffsetsMs = [...offsets].sort((a, b) => a - b);
  const out = series.map((s) => {
    const byOffset = new Map(s.samples.map((p) => [Number(BigInt(p.timestampMs) - baseMs), p.value ?? 0]));
    return { labels: s.labels, values: bucketOffsetsMs.map((o) => byOffset.get(o) ?? null) };
  });
  return { status: 200, seriesCount: out.length, bucketOffsetsMs, series: sortByLabels(out) };
}

export function normalizeInstant(body: { series?: { labels: Labels; value?: number }[] }): Json {
  const series = (body.series ?? []).map((s) => ({ labels: s.labels, value: s.value ?? 0 }));
  return { status: 200, seriesCount: series.length, series: sortByLabels(series) };
}

function compareOne(
  ours: { status: number; body?: unknown; error?: string },
  expected: Json,
  normalize: (b: never) => Json,
): string | undefined {
  if (ours.status !== 200 || expected.status !== 200) {
    return ours.status === expected.status
      ? undefined
      : `status ${ours.status} (${ours.error ?? 'ok'}) ≠ ${String(expected.status)}`;
  }
  return sameJson(normalize(ours.body as never), expected);
}

function parseStep(step: string): bigint {
  const m = /^(\d+)(ms|s|m|h)$/.exec(step);
  if (!m) throw new Error(`oracle step ${step} is not a duration`);
  const unit = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n }[
    m[2] as 'ms' | 's' | 'm' | 'h'
  ];
  return BigInt(m[1]!) * unit;
}

export function runMetricsCase(q: OracleQuery, traces: Trace[], oracle: Oracle): CaseResult {
  const w = oracle.window;
  const startNs = BASE_NS + BigInt(w.metricsStartOffsetS) * 1_000_000_000n;
  const endNs = BASE_NS + BigInt(w.metricsEndOffsetS) * 1_000_000_000n;
  const stepNs = parseStep(q.params.step ?? w.defaults.step);
  const expected = q.result as { range: Json; instant: Json };
  const range = metricsQueryRange(q.q, traces, { startNs, endNs, stepNs });
  const instant = metricsQueryInstant(q.q, traces, { startNs, endNs });
  const ours = {
    range: range.status === 200 ? normalizeRange(range.body, BASE_NS) : range,
    instant: instant.status === 200 ? normalizeInstant(instant.body) : instant,
  };
  const dr = compareOne(range, expected.range, (b: { series?: RangeSeries[] }) => normalizeRange(b, BASE_NS));
  if (dr) return { query: q, ok: false, ours, difference: `range ${dr}` };
  const di = compareOne(instant, expected.instant, normalizeInstant);
  if (di) return { query: q, ok: false, ours, difference: `instant ${di}` };
  return { query: q, ok: true, ours };
}
