// A recorded dataset (OTLP/JSON) → the engine's traces, with every timestamp moved by the same amount so
// the recording ends now: queries, time windows and "how long ago" read as if the traffic were live.
import { addSpan, newTrace, spansFromOtlp, type Trace } from '@dojo/traceql';

interface OtlpSpan {
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  events?: { timeUnixNano?: string }[];
}
interface OtlpBody {
  resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const spansOf = (body: OtlpBody) =>
  (body.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));

/** A copy of the request with its timestamps shifted so the latest span ends at `endNs`. */
export function rebase(body: OtlpBody, endNs: bigint): OtlpBody {
  let last = 0n;
  for (const s of spansOf(body)) {
    const end = BigInt(s.endTimeUnixNano ?? 0);
    if (end > last) last = end;
  }
  const shift = endNs - last;
  const move = (t: string | undefined) => (t === undefined ? t : String(BigInt(t) + shift));
  return {
    resourceSpans: (body.resourceSpans ?? []).map((rs) => ({
      ...rs,
      scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
        ...ss,
        spans: (ss.spans ?? []).map((s) => ({
          ...s,
          startTimeUnixNano: move(s.startTimeUnixNano),
          endTimeUnixNano: move(s.endTimeUnixNano),
          ...(s.events
            ? { events: s.events.map((e) => ({ ...e, timeUnixNano: move(e.timeUnixNano) })) }
            : {}),
        })),
      })),
    })),
  };
}

export interface Dataset {
  traces: Trace[];
  /** The recording's bounds after rebasing (unix ns). */
  startNs: bigint;
  endNs: bigint;
}

/** The traces of a recording, rebased to end at `nowNs` (default: now). */
export function loadDataset(body: unknown, nowNs = BigInt(Date.now()) * 1_000_000n): Dataset {
  const byId = new Map<string, Trace>();
  for (const span of spansFromOtlp(rebase(body as OtlpBody, nowNs))) {
    let trace = byId.get(span.traceId);
    if (!trace) {
      trace = newTrace(span.traceId);
      byId.set(span.traceId, trace);
    }
    addSpan(trace, span);
  }
  const traces = [...byId.values()];
  let startNs = nowNs;
  for (const t of traces) for (const s of t.spans) if (s.startNs < startNs) startNs = s.startNs;
  return { traces, startNs, endNs: nowNs };
}
