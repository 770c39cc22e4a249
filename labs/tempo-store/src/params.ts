// Query parameters of Tempo's HTTP API, read with Tempo's rules (pkg/api): trace ids, search windows in
// unix seconds, metrics bounds and steps. Each problem is a value with a message, answered 400.
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

const secondNs = 1_000_000_000n;

/** A trace id as Tempo takes it: hex, leading zeros optional, at most 128 bits. Gives 32 hex digits. */
export function parseTraceId(raw: string): Parsed<string> {
  if (raw === '') return bad('please provide a traceID');
  for (let i = 0; i < raw.length; i++) {
    if (!/[0-9a-fA-F]/.test(raw[i]!)) {
      return bad(
        `trace IDs can only contain hex characters: invalid character '${raw[i]}' at position ${i + 1}`,
      );
    }
  }
  const even = raw.length % 2 === 1 ? `0${raw}` : raw;
  if (even.length > 32) return bad("trace IDs can't be larger than 128 bits");
  return ok(even.toLowerCase().padStart(32, '0'));
}

function uint32(raw: string, name: string): Parsed<number> {
  if (!/^\d+$/.test(raw) || Number(raw) > 0xffffffff) {
    return bad(`invalid ${name}: "${raw}" is not a whole number of unix seconds`);
  }
  return ok(Number(raw));
}

export interface SearchParams {
  q: string;
  startNs: bigint;
  endNs: bigint;
  limit: number;
  spss: number;
}

/** /api/search: start and end in unix seconds (both or neither: the last 15 minutes), limit, spss. */
export function parseSearch(p: URLSearchParams, nowMs: number): Parsed<SearchParams> {
  let start = 0;
  let end = 0;
  for (const name of ['start', 'end'] as const) {
    const raw = p.get(name);
    if (raw === null || raw === '') continue;
    const n = uint32(raw, name);
    if (!n.ok) return n;
    if (name === 'start') start = n.value;
    else end = n.value;
  }
  if ((start !== 0 || end !== 0) && end <= start) {
    return bad(`http parameter start must be before end. received start=${start} end=${end}`);
  }
  let limit = 20;
  const rawLimit = p.get('limit');
  if (rawLimit) {
    if (!/^\d+$/.test(rawLimit)) return bad(`invalid limit: "${rawLimit}" is not a whole number`);
    limit = Number(rawLimit);
    if (limit === 0) return bad('invalid limit: must be a positive number');
  }
  let spss = 3;
  const rawSpss = p.get('spss');
  if (rawSpss) {
    if (!/^\d+$/.test(rawSpss)) return bad(`invalid spss: "${rawSpss}" is not a whole number`);
    spss = Number(rawSpss);
  }
  const now = BigInt(nowMs) * 1_000_000n;
  const window =
    start === 0 && end === 0
      ? { startNs: now - 15n * 60n * secondNs, endNs: now }
      : { startNs: BigInt(start) * secondNs, endNs: BigInt(end) * secondNs };
  return ok({ q: p.get('q') ?? '{}', ...window, limit, spss });
}

/** The optional start/end (unix seconds) of the tag endpoints; undefined means everything stored. */
export function parseTagRange(p: URLSearchParams): Parsed<{ startNs: bigint; endNs: bigint } | undefined> {
  const rawStart = p.get('start');
  const rawEnd = p.get('end');
  if (!rawStart && !rawEnd) return ok(undefined);
  const start = uint32(rawStart ?? '0', 'start');
  if (!start.ok) return start;
  const end = uint32(rawEnd ?? '0', 'end');
  if (!end.ok) return end;
  if (end.value <= start.value) {
    return bad(`http parameter start must be before end. received start=${start.value} end=${end.value}`);
  }
  return ok({ startNs: BigInt(start.value) * secondNs, endNs: BigInt(end.value) * secondNs });
}

/** Tempo's timestamps for metrics: unix seconds (≤ 10 digits), nanoseconds, fractional seconds or RFC 3339. */
export function parseTimestampNs(raw: string): bigint | undefined {
  if (/^-?\d+\.\d*$/.test(raw)) {
    const [s, frac = ''] = raw.split('.');
    const ms = frac.padEnd(3, '0').slice(0, 3);
    return BigInt(s!) * secondNs + BigInt(ms) * 1_000_000n * (raw.startsWith('-') ? -1n : 1n);
  }
  if (/^-?\d+$/.test(raw)) return raw.replace('-', '').length <= 10 ? BigInt(raw) * secondNs : BigInt(raw);
  if (/^\d{4}-\d\d-\d\dT/.test(raw)) {
    const ms = Date.parse(raw);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n;
  }
  return undefined;
}

const goUnits: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A step: seconds (possibly fractional) or a Go duration such as 15s, 1m30s, 500ms. */
export function parseStepNs(raw: string): bigint | undefined {
  if (/^\d+(\.\d+)?$/.test(raw)) return BigInt(Math.round(Number(raw) * 1e9));
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(raw)) return undefined;
  let ns = 0;
  for (const [, n, unit] of raw.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    ns += Number(n) * goUnits[unit!]!;
  return BigInt(Math.round(ns));
}

function defaultStepNs(startNs: bigint, endNs: bigint): bigint {
  // Tempo aims at 240 points (1 h at 15 s), rounded down to a granularity: 50 ms under a minute, else 1 s up.
  const delta = endNs - startNs;
  const baseline = delta / 240n;
  if (delta < 60n * secondNs) {
    const g = 50_000_000n;
    return baseline > g ? (baseline / g) * g : g;
  }
  for (const g of [3600n, 300n, 60n, 15n, 5n, 1n].map((s) => s * secondNs)) {
    if (baseline > g) return (baseline / g) * g;
  }
  return secondNs;
}

export interface MetricsParams {
  q: string;
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  exemplars: number;
}

const maxIntervals = 10_000n;
const maxExemplars = 100;

/** /api/metrics/query_range and /api/metrics/query: q (or query), start, end, since, step, exemplars. */
export function parseMetrics(p: URLSearchParams, nowMs: number, withStep: boolean): Parsed<MetricsParams> {
  const q = p.get('q') || p.get('query') || '';
  if (!q) return bad('missing q: give a TraceQL metrics query such as {} | rate()');
  const now = BigInt(nowMs) * 1_000_000n;
  let sinceNs = 3600n * secondNs;
  const rawSince = p.get('since');
  if (rawSince) {
    const since = parseStepNs(rawSince);
    if (since === undefined) return bad(`could not parse 'since' parameter: "${rawSince}" is not a duration`);
    sinceNs = since;
  }
  const rawEnd = p.get('end');
  const endNs = rawEnd ? parseTimestampNs(rawEnd) : now;
  if (endNs === undefined) return bad(`could not parse 'end' parameter: "${rawEnd}" is not a timestamp`);
  const rawStart = p.get('start');
  const startNs = rawStart ? parseTimestampNs(rawStart) : (endNs > now ? now : endNs) - sinceNs;
  if (startNs === undefined)
    return bad(`could not parse 'start' parameter: "${rawStart}" is not a timestamp`);
  if (startNs > endNs) return bad('end must be greater than start');
  let stepNs = defaultStepNs(startNs, endNs);
  const rawStep = p.get('step');
  if (withStep && rawStep) {
    const step = parseStepNs(rawStep);
    if (step === undefined) return bad(`cannot parse "${rawStep}" to a valid duration`);
    stepNs = step;
  }
  if (withStep && (stepNs === 0n || (endNs - startNs) / stepNs > maxIntervals)) {
    const min = (endNs - startNs) / maxIntervals;
    return bad(`step of ${stepNs}ns is too small, minimum step for given range is ${min}ns`);
  }
  let exemplars = maxExemplars;
  const rawExemplars = p.get('exemplars');
  // Tempo reads 0 (or no value) as "the maximum"; the query's with(exemplars=…) hint is the engine's to apply.
  if (rawExemplars && /^\d+$/.test(rawExemplars) && Number(rawExemplars) > 0) {
    exemplars = Math.min(Number(rawExemplars), maxExemplars);
  }
  return ok({ q, startNs, endNs, stepNs, exemplars });
}
