// /api/search over a set of traces: parse, evaluate each trace in the window, and shape the answer
// exactly as Tempo does (traceID without leading zeros, root service and name, span sets with
// `matched`, at most `spss` spans each, and the attributes Tempo attaches to spans and span sets).
import type { Query, Static } from './ast.ts';
import { QueryError, type TraceQLError } from './errors.ts';
import { EngineError, type Spanset, TraceEvaluator } from './evaluate.ts';
import { type Condition, type FetchPlan, planFetch } from './fetch-plan.ts';
import type { Span, Trace } from './model.ts';
import { serviceName } from './model.ts';
import { parseQuery } from './parser.ts';
import { fetchedCandidates } from './span-values.ts';
import { indexTrace } from './trace-index.ts';
import { ArithmeticError, toAnyValue } from './values.ts';

export interface SearchOptions {
  /** Unix nanoseconds; a trace is searched when its time range overlaps [startNs, endNs]. */
  startNs?: bigint;
  endNs?: bigint;
  /** Traces to return (Tempo's default 20). */
  limit?: number;
  /** Spans per span set (Tempo's default 3, at most 100). */
  spss?: number;
}

export interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

export interface SearchSpan {
  spanID: string;
  name?: string;
  startTimeUnixNano: string;
  durationNanos: string;
  attributes?: KeyValue[];
}

export interface SearchSpanSet {
  spans: SearchSpan[];
  matched: number;
  attributes?: KeyValue[];
}

export interface TraceSearchMetadata {
  traceID: string;
  rootServiceName: string;
  rootTraceName?: string;
  startTimeUnixNano: string;
  durationMs?: number;
  spanSet: SearchSpanSet;
  spanSets: SearchSpanSet[];
  serviceStats: Record<string, { spanCount: number; errorCount?: number }>;
}

export interface SearchBody {
  traces: TraceSearchMetadata[];
  metrics: { inspectedTraces: number; inspectedSpans: string; completedJobs: number; totalJobs: number };
}

export type SearchResult =
  | { status: 200; body: SearchBody }
  | { status: 400 | 500; error: string; detail?: TraceQLError };

export const MAX_SPSS = 100;
export const DEFAULT_SPSS = 3;
export const DEFAULT_LIMIT = 20;

/** Tempo hides intrinsics that search results already carry as fields. */
const HIDDEN_INTRINSICS = new Set([
  'name',
  'duration',
  'traceDuration',
  'rootServiceName',
  'rootName',
  'trace:id',
  'span:id',
  'startTime',
  'structural',
]);

export function parseTraceQL(text: string): { ok: true; query: Query } | { ok: false; error: TraceQLError } {
  try {
    return { ok: true, query: parseQuery(text) };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, error: e.error };
    // Thousands of nested parentheses exhaust the stack: a query no one writes, refused plainly.
    if (e instanceof RangeError) {
      return {
        ok: false,
        error: { kind: 'parse', status: 400, message: 'the query nests too deeply: remove some parentheses' },
      };
    }
    throw e;
  }
}

function overlaps(trace: Trace, opts: SearchOptions): boolean {
  if (opts.startNs !== undefined && trace.endNs < opts.startNs) return false;
  if (opts.endNs !== undefined && trace.startNs > opts.endNs) return false;
  return true;
}

function traceIdHex(id: string): string {
  const s = id.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

function displayAttributes(plan: FetchPlan, span: Span, trace: Trace): { name?: string; attrs: KeyValue[] } {
  const seen = new Set<string>();
  const attrs: KeyValue[] = [];
  let name: string | undefined;
  const all: Condition[] = [...plan.conditions, ...plan.secondPass];
  for (const c of all) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    // Values a first-pass condition narrowed stay narrowed; select() adds the rest of a key's values.
    const first = plan.byKey.get(c.key);
    const narrowed = first?.some((x) => x.operand !== undefined) ?? false;
    const conds = narrowed ? first : plan.shownByKey.get(c.key);
    const selected = !narrowed && plan.secondPass.some((x) => x.key === c.key && x.op === 'none');
    const cands = fetchedCandidates(conds, c.ref, span, trace, selected);
    if (c.ref.kind === 'intrinsic' && c.ref.name === 'name') {
      const v = cands[0]?.value;
      if (v?.t === 'string' && v.v !== '') name = v.v;
      continue;
    }
    if (c.ref.kind === 'intrinsic' && HIDDEN_INTRINSICS.has(c.ref.name)) continue;
    const label = c.ref.name;
    if (cands.length === 0) {
      if (conds?.some((x) => x.op === 'notExists') || plan.groupKeys.has(c.key))
        attrs.push({ key: label, value: toAnyValue({ t: 'nil' }) });
      continue;
    }
    if (c.ref.kind === 'attr' && c.ref.scope === 'none') {
      for (const cand of cands) attrs.push({ key: label, value: toAnyValue(cand.value) });
    } else {
      attrs.push({ key: label, value: toAnyValue(cands[0]!.value) });
    }
  }
  return name !== undefined ? { name, attrs } : { attrs };
}

function spanSetOf(ss: Spanset, plan: FetchPlan, trace: Trace, spss: number): SearchSpanSet {
  const spans = ss.spans.slice(0, spss).map((span): SearchSpan => {
    const { name, attrs } = displayAttributes(plan, span, trace);
    return {
      spanID: span.spanId,
      ...(name !== undefined ? { name } : {}),
      startTimeUnixNano: span.startNs.toString(),
      durationNanos: String(span.durationNs),
      ...(attrs.length > 0 ? { attributes: attrs } : {}),
    };
  });
  const attributes = ss.attrs.map(([key, v]: [string, Static]) => ({ key, value: toAnyValue(v) }));
  return { spans, matched: ss.spans.length, ...(attributes.length > 0 ? { attributes } : {}) };
}

export function traceMetadata(trace: Trace): Omit<TraceSearchMetadata, 'spanSet' | 'spanSets'> {
  indexTrace(trace);
  const stats: Record<string, { spanCount: number; errorCount?: number }> = {};
  for (const s of trace.spans) {
    const svc = serviceName(s) ?? '';
    let st = stats[svc];
    if (!st) {
      st = { spanCount: 0 };
      stats[svc] = st;
    }
    st.spanCount++;
    if (s.statusCode === 2) st.errorCount = (st.errorCount ?? 0) + 1;
  }
  const root = trace.rootSpan;
  const durationMs = Number((trace.endNs - trace.startNs) / 1_000_000n);
  return {
    traceID: traceIdHex(trace.traceId),
    rootServiceName: root ? (serviceName(root) ?? '') : '<root span not yet received>',
    ...(root ? { rootTraceName: root.name } : {}),
    startTimeUnixNano: trace.startNs.toString(),
    ...(durationMs > 0 ? { durationMs } : {}),
    serviceStats: stats,
  };
}

/** Evaluates a parsed query's span part over one trace: the span sets it yields (maybe none). */
export function evaluateTrace(query: Query, plan: FetchPlan, trace: Trace): Spanset[] {
  indexTrace(trace);
  const ev = new TraceEvaluator(plan, trace);
  const fetched = ev.fetchedSpans();
  if (fetched.length === 0) return [];
  const input = [{ spans: fetched, attrs: [] }];
  if (plan.firstStageFetched) {
    return ev.pipeline({ type: 'pipeline', elements: query.pipeline.elements.slice(1) }, input);
  }
  return ev.pipeline(query.pipeline, input);
}

export function search(
  text: string | Query,
  traces: Iterable<Trace>,
  opts: SearchOptions = {},
): SearchResult {
  const spss = opts.spss || DEFAULT_SPSS;
  if (spss > MAX_SPSS)
    return { status: 400, error: `spans per span set exceeds ${MAX_SPSS}. received ${spss}` };
  let query: Query;
  if (typeof text === 'string') {
    const parsed = parseTraceQL(text);
    if (!parsed.ok)
      return { status: 400, error: `invalid TraceQL query: ${parsed.error.message}`, detail: parsed.error };
    query = parsed.query;
  } else query = text;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : DEFAULT_LIMIT;
  const mostRecent = hintBool(query, 'most_recent');
  const plan = planFetch(query);
  const found: { trace: Trace; sets: Spanset[] }[] = [];
  let inspectedTraces = 0;
  let inspectedSpans = 0;
  try {
    for (const trace of traces) {
      indexTrace(trace);
      if (!overlaps(trace, opts)) continue;
      inspectedTraces++;
      inspectedSpans += trace.spans.length;
      const sets = evaluateTrace(query, plan, trace);
      if (sets.length > 0) found.push({ trace, sets });
      if (!mostRecent && found.length >= limit) break;
    }
  } catch (e) {
    if (e instanceof EngineError || e instanceof ArithmeticError) return { status: 500, error: e.message };
    throw e;
  }
  if (mostRecent)
    found.sort((a, b) =>
      a.trace.startNs > b.trace.startNs ? -1 : a.trace.startNs < b.trace.startNs ? 1 : 0,
    );
  const traces_ = found.slice(0, limit).map(({ trace, sets }) => {
    const spanSets = sets.map((ss) => spanSetOf(ss, plan, trace, spss));
    return { ...traceMetadata(trace), spanSet: spanSets[0]!, spanSets };
  });
  return {
    status: 200,
    body: {
      traces: traces_,
      metrics: { inspectedTraces, inspectedSpans: String(inspectedSpans), completedJobs: 1, totalJobs: 1 },
    },
  };
}

function hintBool(q: Query, name: string): boolean {
  const h = q.hints.get(name);
  return h?.t === 'bool' && h.v;
}

/** Every span a query's span sets hold, without spss or limit: what tag values filtered by a query read. */
export function matchingSpans(
  text: string,
  traces: Iterable<Trace>,
): { ok: true; spans: Span[] } | { ok: false; status: 400 | 500; error: string } {
  const parsed = parseTraceQL(text);
  if (!parsed.ok) return { ok: false, status: 400, error: `invalid TraceQL query: ${parsed.error.message}` };
  const plan = planFetch(parsed.query);
  const spans: Span[] = [];
  try {
    for (const trace of traces) {
      for (const set of evaluateTrace(parsed.query, plan, trace)) spans.push(...set.spans);
    }
  } catch (e) {
    if (e instanceof EngineError || e instanceof ArithmeticError)
      return { ok: false, status: 500, error: e.message };
    throw e;
  }
  return { ok: true, spans: [...new Set(spans)] };
}
