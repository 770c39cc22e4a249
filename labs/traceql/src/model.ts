// The in-memory trace model the engine evaluates: OTLP's resource → scope → span shape, flattened so
// every span points at its (shared) resource and scope, with the per-trace facts Tempo derives
// (root, trace duration, nested-set numbers) computed once per change of the trace.

/**
 * An attribute value, typed as OTLP types it, told apart by `typeof`:
 * string · boolean · bigint (OTLP intValue: int64, exact beyond 2^53) · number (OTLP doubleValue) ·
 * an array of those (OTLP arrayValue). kvlist and bytes values are kept as their JSON text.
 */
export type AttrValue = string | boolean | bigint | number | readonly AttrScalar[];
export type AttrScalar = string | boolean | bigint | number;
export type Attributes = ReadonlyMap<string, AttrValue>;

export interface Resource {
  readonly attrs: Attributes;
}

export interface Scope {
  readonly name: string;
  readonly version: string;
  readonly attrs: Attributes;
}

export interface SpanEvent {
  readonly name: string;
  readonly timeNs: bigint;
  readonly attrs: Attributes;
}

export interface SpanLink {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  readonly attrs: Attributes;
}

/** OTLP span kinds by number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKind = 0 | 1 | 2 | 3 | 4 | 5;
/** OTLP status codes: 0 unset, 1 ok, 2 error. */
export type StatusCode = 0 | 1 | 2;

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: SpanKind;
  /** Unix time in nanoseconds. */
  readonly startNs: bigint;
  readonly durationNs: number;
  readonly statusCode: StatusCode;
  readonly statusMessage: string;
  readonly attrs: Attributes;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly resource: Resource;
  readonly scope: Scope;
  /** Set by indexTrace: Tempo's nested-set numbers (0 for spans outside the root's tree), child count. */
  nestedSetLeft: number;
  nestedSetRight: number;
  nestedSetParent: number;
  childCount: number;
}

export interface Trace {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  readonly spans: Span[];
  /** Derived by indexTrace. */
  startNs: bigint;
  endNs: bigint;
  rootSpan: Span | undefined;
  /** Spans in the order Tempo walks them: by start time, then span id. */
  ordered: Span[];
  /** False after spans were added and before indexTrace ran again. */
  indexed: boolean;
}

export function newTrace(traceId: string): Trace {
  return { traceId, spans: [], startNs: 0n, endNs: 0n, rootSpan: undefined, ordered: [], indexed: false };
}

export function addSpan(trace: Trace, span: Span): void {
  trace.spans.push(span);
  trace.indexed = false;
}

export function traceDurationNs(trace: Trace): number {
  return Number(trace.endNs - trace.startNs);
}

export function serviceName(span: Span): string | undefined {
  const name = span.resource.attrs.get('service.name');
  return typeof name === 'string' ? name : undefined;
}
