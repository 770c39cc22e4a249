// A recorded dataset (OTLP/JSON) → the engine's traces, with every timestamp moved by the same amount so
// the recording ends in the last minute: time windows and "how long ago" read as if the traffic were live.
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

const MINUTE = 60_000_000_000n;

/** The latest end time in a request (unix ns). */
function lastEnd(body: OtlpBody): bigint {
  let last = 0n;
  for (const s of spansOf(body)) {
    const end = BigInt(s.endTimeUnixNano ?? 0);
    if (end > last) last = end;
  }
  return last;
}

/**
 * How far to move a recording so it ends at most a minute before `nowNs`: whole minutes, so every
 * span keeps its place in the minute, and a metrics query draws the same points at every load.
 */
export function shiftFor(body: OtlpBody, nowNs: bigint): bigint {
  const gap = nowNs - lastEnd(body);
  return gap >= 0n ? (gap / MINUTE) * MINUTE : -((-gap + MINUTE - 1n) / MINUTE) * MINUTE;
}

/** A copy of the request with every timestamp moved by `shift` nanoseconds. */
function rebase(body: OtlpBody, shift: bigint): OtlpBody {
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

/** The traces of a recording, moved to end within the minute before `nowNs` (default: now). */
export function loadDataset(body: unknown, nowNs = BigInt(Date.now()) * 1_000_000n): Dataset {
  const byId = new Map<string, Trace>();
  const shift = shiftFor(body as OtlpBody, nowNs);
  for (const span of spansFromOtlp(rebase(body as OtlpBody, shift))) {
    let trace = byId.get(span.traceId);
    if (!trace) {
      trace = newTrace(span.traceId);
      byId.set(span.traceId, trace);
    }
    addSpan(trace, span);
  }
  const traces = [...byId.values()];
  const endNs = lastEnd(body as OtlpBody) + shift;
  let startNs = endNs;
  for (const t of traces) for (const s of t.spans) if (s.startNs < startNs) startNs = s.startNs;
  return { traces, startNs, endNs };
}
