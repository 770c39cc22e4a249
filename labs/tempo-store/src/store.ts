// Where spans live: traces by id per tenant, in memory, bounded by age and by total size. The oldest
// trace (the one that changed least recently) is evicted first; every refusal and eviction is counted.
import { addSpan, newTrace, type Span, type Trace } from '@dojo/traceql';
import { spanBytes } from './span-size.ts';

export interface RetentionLimits {
  /** A trace that received no span for this long is evicted. */
  maxAgeMs: number;
  /** Estimated bytes of all stored spans, all tenants together; past it the oldest traces go. */
  maxBytes: number;
  /** Tempo's max_bytes_per_trace: spans that would grow a trace past it are refused. */
  maxBytesPerTrace: number;
}

export const defaultLimits: RetentionLimits = {
  maxAgeMs: 60 * 60_000,
  maxBytes: 256 * 1024 * 1024,
  maxBytesPerTrace: 5_000_000,
};

export type EvictReason = 'age' | 'size';
export type RefuseReason = 'trace_too_large';

/** What the store reports so /metrics can count it (see metrics.ts). */
export interface StoreObserver {
  received(tenant: string, spans: number): void;
  traceCreated(tenant: string): void;
  refused(tenant: string, reason: RefuseReason, spans: number): void;
  evicted(tenant: string, reason: EvictReason, spans: number): void;
}

interface StoredTrace {
  readonly tenant: string;
  readonly trace: Trace;
  bytes: number;
  updatedMs: number;
  minStartNs: bigint;
  maxEndNs: bigint;
}

export interface AppendResult {
  accepted: number;
  refused: number;
  /** Why spans were refused, for the OTLP partial_success message. */
  refusal?: string;
}

export interface TimeRange {
  startNs: bigint;
  endNs: bigint;
}

export class TraceStore {
  readonly limits: RetentionLimits;
  private readonly observer: StoreObserver | undefined;
  private readonly byTenant = new Map<string, Map<string, StoredTrace>>();
  /** Every stored trace, least recently changed first: a Set keeps insertion order, re-adding moves to the end. */
  private readonly order = new Set<StoredTrace>();
  private totalBytes = 0;
  private totalSpans = 0;

  constructor(limits: Partial<RetentionLimits> = {}, observer?: StoreObserver) {
    this.limits = { ...defaultLimits, ...limits };
    if (this.limits.maxBytesPerTrace > this.limits.maxBytes)
      this.limits.maxBytesPerTrace = this.limits.maxBytes;
    this.observer = observer;
  }

  /** Stores a batch of spans (one OTLP request). Spans are kept as given: no copies. */
  append(tenant: string, spans: readonly Span[], nowMs = Date.now()): AppendResult {
    this.observer?.received(tenant, spans.length);
    let traces = this.byTenant.get(tenant);
    if (!traces) {
      traces = new Map();
      this.byTenant.set(tenant, traces);
    }
    const groups = new Map<string, Span[]>();
    for (const span of spans) {
      const group = groups.get(span.traceId);
      if (group) group.push(span);
      else groups.set(span.traceId, [span]);
    }
    let accepted = 0;
    let refused = 0;
    let tooLarge = '';
    for (const [traceId, group] of groups) {
      let bytes = 0;
      for (const span of group) bytes += spanBytes(span);
      let stored = traces.get(traceId);
      if ((stored?.bytes ?? 0) + bytes > this.limits.maxBytesPerTrace) {
        refused += group.length;
        tooLarge ||= traceId;
        continue;
      }
      if (!stored) {
        stored = {
          tenant,
          trace: newTrace(traceId),
          bytes: 0,
          updatedMs: nowMs,
          minStartNs: group[0]!.startNs,
          maxEndNs: group[0]!.startNs,
        };
        traces.set(traceId, stored);
        this.observer?.traceCreated(tenant);
      }
      for (const span of group) {
        addSpan(stored.trace, span);
        const end = span.startNs + BigInt(span.durationNs);
        if (span.startNs < stored.minStartNs) stored.minStartNs = span.startNs;
        if (end > stored.maxEndNs) stored.maxEndNs = end;
      }
      stored.bytes += bytes;
      stored.updatedMs = nowMs;
      this.order.delete(stored);
      this.order.add(stored);
      this.totalBytes += bytes;
      this.totalSpans += group.length;
      accepted += group.length;
    }
    if (refused > 0) this.observer?.refused(tenant, 'trace_too_large', refused);
    this.evict(nowMs);
    const result: AppendResult = { accepted, refused };
    if (refused > 0) {
      result.refusal =
        `${refused} span(s) refused: trace ${tooLarge} would exceed the per-trace limit of ` +
        `${this.limits.maxBytesPerTrace} bytes (Tempo's max_bytes_per_trace)`;
    }
    return result;
  }

  /** Drops traces past the age limit, then the oldest until the size budget holds. */
  evict(nowMs = Date.now()): void {
    const oldestKept = nowMs - this.limits.maxAgeMs;
    for (const stored of this.order) {
      if (stored.updatedMs >= oldestKept) break;
      this.drop(stored, 'age');
    }
    if (this.totalBytes <= this.limits.maxBytes) return;
    for (const stored of this.order) {
      if (this.totalBytes <= this.limits.maxBytes) break;
      this.drop(stored, 'size');
    }
  }

  private drop(stored: StoredTrace, reason: EvictReason): void {
    this.order.delete(stored);
    const traces = this.byTenant.get(stored.tenant);
    traces?.delete(stored.trace.traceId);
    if (traces?.size === 0) this.byTenant.delete(stored.tenant);
    this.totalBytes -= stored.bytes;
    this.totalSpans -= stored.trace.spans.length;
    this.observer?.evicted(stored.tenant, reason, stored.trace.spans.length);
  }

  /** The trace with this id (32 hex digits) from each of the tenants that has it. */
  get(tenants: readonly string[], traceId: string): Trace[] {
    const found: Trace[] = [];
    for (const tenant of tenants) {
      const stored = this.byTenant.get(tenant)?.get(traceId);
      if (stored) found.push(stored.trace);
    }
    return found;
  }

  /** The tenants' traces that overlap the range (all of them without one). */
  traces(tenants: readonly string[], range?: TimeRange): Trace[] {
    const out: Trace[] = [];
    for (const tenant of tenants) {
      const traces = this.byTenant.get(tenant);
      if (!traces) continue;
      for (const stored of traces.values()) {
        if (range && (stored.maxEndNs < range.startNs || stored.minStartNs > range.endNs)) continue;
        out.push(stored.trace);
      }
    }
    return out;
  }

  /** Per-tenant figures for /metrics. */
  stats(): { tenant: string; traces: number; spans: number; bytes: number }[] {
    const out = [];
    for (const [tenant, traces] of this.byTenant) {
      let spans = 0;
      let bytes = 0;
      for (const stored of traces.values()) {
        spans += stored.trace.spans.length;
        bytes += stored.bytes;
      }
      out.push({ tenant, traces: traces.size, spans, bytes });
    }
    return out;
  }

  get size(): { traces: number; spans: number; bytes: number } {
    return { traces: this.order.size, spans: this.totalSpans, bytes: this.totalBytes };
  }
}
