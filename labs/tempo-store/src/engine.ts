// The one place the store calls the TraceQL engine (search, metrics, span filters). An
// exception from the engine is a bug there; the store turns it into a 500 the client can read.
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

function guarded(run: () => EngineAnswer): EngineAnswer {
  try {
    return run();
  } catch (e) {
    return { status: 500, error: `TraceQL engine failed: ${(e as Error).message}` };
  }
}

export function search(q: string, traces: Iterable<Trace>, opts: SearchOptions): EngineAnswer {
  return guarded(() => traceql.search(q, traces, opts));
}

export function metricsQueryRange(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer {
  return guarded(() => traceql.metricsQueryRange(q, traces, opts));
}

export function metricsQueryInstant(q: string, traces: Iterable<Trace>, opts: MetricsOptions): EngineAnswer {
  return guarded(() => traceql.metricsQueryInstant(q, traces, opts));
}

/** The spans of these traces that the spanset filter `q` matches, for tag values filtered by a query. */
export function matchingSpans(
  q: string,
  traces: readonly Trace[],
): { ok: true; spans: Span[] } | { ok: false; status: number; error: string } {
  try {
    return traceql.matchingSpans(q, traces);
  } catch (e) {
    return { ok: false, status: 500, error: `TraceQL engine failed: ${(e as Error).message}` };
  }
}
