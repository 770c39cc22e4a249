// Tempo's trace JSON (OTLP as jsonpb: base64 ids, enum names) → plain spans with hex ids, parent links,
// depth and orphan flags: the one shape the waterfall, the CLI and the graders read.

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusName = 'unset' | 'ok' | 'error';

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes: Record<string, unknown>;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: SpanKindName;
  status: StatusName;
  statusMessage: string;
  startMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: SpanEvent[];
}

export interface TraceView {
  traceId: string;
  spans: Span[];
  startMs: number;
  durationMs: number;
  /** spans whose parent is not in the trace (a root has no parent at all) */
  orphans: Span[];
  roots: Span[];
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };
type RawSpan = Record<string, unknown>;
type RawBatch = {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: { spans?: RawSpan[] }[];
  instrumentationLibrarySpans?: { spans?: RawSpan[] }[];
};

function value(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

export const attributesOf = (kvs: KeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((kvs ?? []).map((kv) => [kv.key, value(kv.value)]));

/** Trace and span ids arrive as base64 (Tempo) or hex (OTLP/JSON); graders compare them as lower-case hex. */
export function idToHex(id: unknown, bytes: 8 | 16): string {
  const raw = String(id ?? '');
  if (raw === '') return '';
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(raw)) return raw.toLowerCase();
  const hex = Buffer.from(raw, 'base64').toString('hex');
  return /^0*$/.test(hex) ? '' : hex.padStart(bytes * 2, '0');
}

/** Tempo's search results strip leading zeros from trace ids; put them back. */
export const normalizeTraceId = (id: string) => id.toLowerCase().padStart(32, '0');

const kinds: SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
function kindOf(raw: unknown): SpanKindName {
  if (typeof raw === 'number') return kinds[raw] ?? 'unspecified';
  const name = String(raw ?? '')
    .replace(/^SPAN_KIND_/, '')
    .toLowerCase();
  return (kinds as string[]).includes(name) ? (name as SpanKindName) : 'unspecified';
}

function statusOf(raw: unknown): { status: StatusName; message: string } {
  const s = (raw ?? {}) as { code?: unknown; message?: string };
  const code = typeof s.code === 'number' ? s.code : String(s.code ?? '').replace(/^STATUS_CODE_/, '');
  const status: StatusName =
    code === 2 || code === 'ERROR' ? 'error' : code === 1 || code === 'OK' ? 'ok' : 'unset';
  return { status, message: s.message ?? '' };
}

const nanosToMs = (n: unknown) => Number(BigInt(String(n ?? 0)) / 1000n) / 1000;

export function spansFromBatches(batches: RawBatch[]): Span[] {
  const spans: Span[] = [];
  for (const batch of batches) {
    const resource = attributesOf(batch.resource?.attributes);
    const scopes = batch.scopeSpans ?? batch.instrumentationLibrarySpans ?? [];
    for (const scope of scopes) {
      for (const raw of scope.spans ?? []) {
        const start = nanosToMs(raw.startTimeUnixNano);
        // Durations from the integer nanoseconds: epoch milliseconds as doubles lose the sub-µs part.
        const durationNs =
          BigInt(String(raw.endTimeUnixNano ?? 0)) - BigInt(String(raw.startTimeUnixNano ?? 0));
        const { status, message } = statusOf(raw.status);
        spans.push({
          traceId: idToHex(raw.traceId, 16),
          spanId: idToHex(raw.spanId, 8),
          parentSpanId: idToHex(raw.parentSpanId, 8),
          service: String(resource['service.name'] ?? 'unknown'),
          name: String(raw.name ?? ''),
          kind: kindOf(raw.kind),
          status,
          statusMessage: message,
          startMs: start,
          durationMs: Math.max(0, Number(durationNs) / 1e6),
          attributes: attributesOf(raw.attributes as KeyValue[]),
          resource,
          events: (
            (raw.events as { name?: string; timeUnixNano?: unknown; attributes?: KeyValue[] }[]) ?? []
          ).map((e) => ({
            name: String(e.name ?? ''),
            timeMs: nanosToMs(e.timeUnixNano),
            attributes: attributesOf(e.attributes),
          })),
        });
      }
    }
  }
  return spans;
}

export function traceView(spans: Span[]): TraceView {
  const ids = new Set(spans.map((s) => s.spanId));
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  return {
    traceId: spans[0]?.traceId ?? '',
    spans,
    startMs: spans.length ? startMs : 0,
    durationMs: spans.length ? endMs - startMs : 0,
    roots: spans.filter((s) => s.parentSpanId === ''),
    orphans: spans.filter((s) => s.parentSpanId !== '' && !ids.has(s.parentSpanId)),
  };
}

/** The most of these spans that share one parent: how an N+1 query shows (0 for none). */
export function mostUnderOneParent(spans: Span[]): number {
  const perParent = new Map<string, number>();
  for (const s of spans) perParent.set(s.parentSpanId, (perParent.get(s.parentSpanId) ?? 0) + 1);
  return Math.max(0, ...perParent.values());
}

/** Parses the body of Tempo's GET /api/traces/<id> (`{"batches":[…]}`) or /api/v2/traces/<id>. */
export function parseTempoTrace(body: unknown): TraceView {
  const doc = (body ?? {}) as {
    batches?: RawBatch[];
    resourceSpans?: RawBatch[];
    trace?: { resourceSpans?: RawBatch[] };
  };
  const batches = doc.batches ?? doc.resourceSpans ?? doc.trace?.resourceSpans ?? [];
  return traceView(spansFromBatches(batches));
}

/** Spans in waterfall order: depth-first from each root (or orphan), children by start time. */
export function treeOrder(view: TraceView): { span: Span; depth: number }[] {
  const children = new Map<string, Span[]>();
  for (const s of view.spans) {
    const list = children.get(s.parentSpanId) ?? [];
    list.push(s);
    children.set(s.parentSpanId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs);
  const out: { span: Span; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (s: Span, depth: number) => {
    if (seen.has(s.spanId)) return;
    seen.add(s.spanId);
    out.push({ span: s, depth });
    for (const c of children.get(s.spanId) ?? []) walk(c, depth + 1);
  };
  for (const top of [...view.roots, ...view.orphans].sort((a, b) => a.startMs - b.startMs)) walk(top, 0);
  return out;
}
