// The one place the store calls the TraceQL engine's query functions (search, metrics, parse, index).
// They are looked up at call time, so the store runs (and answers 501 for queries) on an engine build
// that does not have them yet; once @dojo/traceql exports them, nothing else changes.

import type { Span, Trace } from '@dojo/traceql';
import * as traceql from '@dojo/traceql';

export type EngineAnswer = { status: 200; body: unknown } | { status: number; error: string };

export interface SearchOptions {
  startNs?: bigint;
  endNs?: bigint;
  limit?: number;
  spss?: number;
}

export interface MetricsOptions {
  startNs: bigint;
  endNs: bigint;
  stepNs?: bigint;
  exemplars?: number;
}

interface EngineApi {
  indexTrace(trace: Trace): void;
  parseTraceQL(q: string): { ok: true } | { ok: false; error: { status: number; message: string } };
  search(q: string, traces: Iterable<Trace>, opts: SearchOptions): EngineAnswer;
  metricsQueryRange(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer;
  metricsQueryInstant(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer;
}

const engine = traceql as unknown as Partial<EngineApi>;

function missing(name: keyof EngineApi): EngineAnswer {
  return {
    status: 501,
    error: `this build of @dojo/traceql has no ${name}() yet: TraceQL queries are not served`,
  };
}

/** Runs the engine, turning an exception (a bug in the engine) into a 500 the client can read. */
function guarded(name: keyof EngineApi, run: () => EngineAnswer): EngineAnswer {
  if (typeof engine[name] !== 'function') return missing(name);
  try {
    return run();
  } catch (e) {
    return { status: 500, error: `TraceQL engine failed: ${(e as Error).message}` };
  }
}

export function search(q: string, traces: Iterable<Trace>, opts: SearchOptions): EngineAnswer {
  return guarded('search', () => engine.search!(q, traces, opts));
}

export function metricsQueryRange(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer {
  return guarded('metricsQueryRange', () => engine.metricsQueryRange!(q, traces, opts));
}

export function metricsQueryInstant(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer {
  return guarded('metricsQueryInstant', () => engine.metricsQueryInstant!(q, traces, opts));
}

/** Root span and nested-set numbers; a no-op until the engine has indexTrace (the store does not need them). */
export function ensureIndexed(trace: Trace): void {
  if (!trace.indexed && typeof engine.indexTrace === 'function') engine.indexTrace(trace);
}

/**
 * The spans of these traces that the spanset filter `q` matches, for tag values filtered by a query.
 * Asks search for every trace and the most spans per set it allows: a stop-gap until the engine
 * offers a span filter of its own (see /work/notes/store-needs.md).
 */
export function matchingSpans(
  q: string,
  traces: readonly Trace[],
): { ok: true; spans: Span[] } | { ok: false; status: number; error: string } {
  const answer = search(q, traces, { limit: Math.max(traces.length, 1), spss: 100 });
  if (answer.status !== 200 || !('body' in answer)) {
    return { ok: false, status: answer.status, error: 'error' in answer ? answer.error : 'search failed' };
  }
  const byId = new Map<string, Trace>();
  for (const t of traces) byId.set(t.traceId.replace(/^0+/, ''), t);
  const spans: Span[] = [];
  const body = answer.body as {
    traces?: { traceID: string; spanSets?: { spans?: { spanID: string }[] }[] }[];
  };
  for (const found of body.traces ?? []) {
    const trace = byId.get(found.traceID.replace(/^0+/, ''));
    if (!trace) continue;
    const ids = new Set<string>();
    for (const set of found.spanSets ?? []) for (const s of set.spans ?? []) ids.add(s.spanID);
    for (const span of trace.spans) if (ids.has(span.spanId)) spans.push(span);
  }
  return { ok: true, spans };
}
