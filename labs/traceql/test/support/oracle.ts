// Loads the Tempo oracle corpus (what a real Tempo 3.0.3 answered) and normalizes answers the way
// its README describes, so the engine's answers and Tempo's can be compared field by field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addSpan, newTrace, spansFromOtlp, type Trace } from '@dojo/traceql';

export const ORACLE_DIR = join(import.meta.dirname, '..', 'oracle');

export interface OracleQuery {
  id: string;
  family: string;
  note: string;
  q: string;
  api: 'search' | 'metrics';
  params: { spss?: number; limit?: number; step?: string };
  result: Record<string, unknown>;
}

export interface Oracle {
  window: {
    searchStartOffsetS: number;
    searchEndOffsetS: number;
    metricsStartOffsetS: number;
    metricsEndOffsetS: number;
    defaults: { spss: number; limit: number; step: string };
  };
  queries: OracleQuery[];
  api: Record<string, unknown>;
}

export function loadOracle(): Oracle {
  const raw = JSON.parse(readFileSync(join(ORACLE_DIR, 'results.json'), 'utf8')) as Oracle;
  for (const q of raw.queries) q.api ??= 'search';
  return raw;
}

/** Fixture timestamps are offsets; adding a base makes them absolute. */
function rebase(value: unknown, base: bigint): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(v, base));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        /UnixNano$/.test(k) && (typeof v === 'string' || typeof v === 'number')
          ? String(BigInt(v) + base)
          : rebase(v, base);
    }
    return out;
  }
  return value;
}

export function fixtureBodies(base: bigint): unknown[] {
  const dir = join(ORACLE_DIR, 'fixtures');
  return readdirSync(dir)
    .filter((f) => /^\d\d-.*\.json$/.test(f))
    .sort()
    .map((f) => rebase(JSON.parse(readFileSync(join(dir, f), 'utf8')), base));
}

export function loadFixtureTraces(base: bigint): Map<string, Trace> {
  const traces = new Map<string, Trace>();
  for (const body of fixtureBodies(base)) {
    for (const span of spansFromOtlp(body)) {
      let t = traces.get(span.traceId);
      if (!t) {
        t = newTrace(span.traceId);
        traces.set(span.traceId, t);
      }
      addSpan(t, span);
    }
  }
  return traces;
}

type Json = Record<string, unknown>;

function sortAttrs(attrs: unknown): unknown {
  if (!Array.isArray(attrs)) return attrs;
  return attrs.slice().sort((a: Json, b: Json) => {
    const ka = String(a.key);
    const kb = String(b.key);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const va = JSON.stringify(a.value);
    const vb = JSON.stringify(b.value);
    return va < vb ? -1 : va > vb ? 1 : 0;
  });
}

/** JSON with object keys sorted, as the oracle's recorder sorted span sets. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}: ${sortedJson((v as Json)[k])}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** Tempo's /api/search body → the oracle's normalized form. */
export function normalizeSearch(body: Json, base: bigint): Json {
  const traces = ((body.traces as Json[]) ?? []).map((t) => {
    const raw = String(t.traceID);
    const traceID = raw.padStart(32, '0');
    const stats: Record<string, { spanCount: number; errorCount: number }> = {};
    for (const [svc, s] of Object.entries((t.serviceStats as Record<string, Json>) ?? {})) {
      stats[svc] = { spanCount: Number(s.spanCount ?? 0), errorCount: Number(s.errorCount ?? 0) };
    }
    const spanSets = ((t.spanSets as Json[]) ?? []).map((ss) => {
      const spans = ((ss.spans as Json[]) ?? [])
        .map((s) => {
          const out: Json = { spanID: s.spanID };
          if (s.name !== undefined) out.name = s.name;
          out.startOffsetNs = String(BigInt(String(s.startTimeUnixNano)) - base);
          out.durationNanos = String(s.durationNanos ?? '0');
          if (s.attributes) out.attributes = sortAttrs(s.attributes);
          return out;
        })
        .sort((a, b) => {
          const x = BigInt(String(a.startOffsetNs));
          const y = BigInt(String(b.startOffsetNs));
          if (x !== y) return x < y ? -1 : 1;
          return String(a.spanID) < String(b.spanID) ? -1 : 1;
        });
      const out: Json = { matched: Number(ss.matched ?? 0) };
      if (ss.attributes) out.attributes = sortAttrs(ss.attributes);
      out.spans = spans;
      return out;
    });
    spanSets.sort((a, b) => (sortedJson(a) < sortedJson(b) ? -1 : 1));
    const out: Json = { traceID };
    if (raw.length < 32) out.traceIDRaw = raw;
    out.rootServiceName = t.rootServiceName ?? null;
    out.rootTraceName = t.rootTraceName ?? null;
    out.startOffsetNs = String(BigInt(String(t.startTimeUnixNano)) - base);
    out.durationMs = Number(t.durationMs ?? 0);
    out.serviceStats = stats;
    out.spanSets = spanSets;
    return out;
  });
  traces.sort((a, b) => (String(a.traceID) < String(b.traceID) ? -1 : 1));
  return { status: 200, traceCount: traces.length, traces };
}

/** A deep comparison where numbers agree within 1e-9 relative. */
export function sameJson(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return undefined;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= 1e-9 * scale ? undefined : `${path}: ${a} ≠ ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = sameJson(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join(',')} ≠ ${kb.join(',')}`;
    for (const k of ka) {
      const d = sameJson((a as Json)[k], (b as Json)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}
