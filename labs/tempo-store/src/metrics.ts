// The store's own health as Prometheus text on /metrics (prom-client). Names follow real Tempo where
// Tempo has the figure, so tests wait on `tempo_live_store_traces_created_total` against either.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EvictReason, RefuseReason, StoreObserver, TraceStore } from './store.ts';

export const buildInfo = {
  version: '3.0.3',
  revision: 'dojo',
  branch: 'dojo-tempo-store',
  buildUser: '',
  buildDate: '',
  goVersion: '',
};

export class StoreMetrics implements StoreObserver {
  readonly registry = new Registry();
  private readonly spansReceived: Counter<'tenant'>;
  private readonly bytesReceived: Counter<'tenant'>;
  private readonly tracesCreated: Counter<'tenant'>;
  private readonly discarded: Counter<'reason' | 'tenant'>;
  private readonly spansEvicted: Counter<'reason' | 'tenant'>;
  private readonly tracesEvicted: Counter<'reason' | 'tenant'>;
  private readonly requestsRefused: Counter<'receiver' | 'status'>;

  constructor(store: () => TraceStore | undefined) {
    const registers = [this.registry];
    this.spansReceived = new Counter({
      name: 'tempo_distributor_spans_received_total',
      help: 'Spans received in well-formed OTLP requests, per tenant (refused ones included).',
      labelNames: ['tenant'],
      registers,
    });
    this.bytesReceived = new Counter({
      name: 'tempo_distributor_bytes_received_total',
      help: 'OTLP request body bytes received, per tenant, as sent (compressed or not).',
      labelNames: ['tenant'],
      registers,
    });
    this.tracesCreated = new Counter({
      name: 'tempo_live_store_traces_created_total',
      help: 'Traces created per tenant; a trace is searchable as soon as this counts it.',
      labelNames: ['tenant'],
      registers,
    });
    this.discarded = new Counter({
      name: 'tempo_discarded_spans_total',
      help: 'Spans refused from well-formed requests (reported to the sender as partial_success).',
      labelNames: ['reason', 'tenant'],
      registers,
    });
    this.spansEvicted = new Counter({
      name: 'tempo_store_spans_evicted_total',
      help: 'Stored spans dropped by retention: reason age (idle too long) or size (store full).',
      labelNames: ['reason', 'tenant'],
      registers,
    });
    this.tracesEvicted = new Counter({
      name: 'tempo_store_traces_evicted_total',
      help: 'Stored traces dropped by retention, oldest first.',
      labelNames: ['reason', 'tenant'],
      registers,
    });
    this.requestsRefused = new Counter({
      name: 'tempo_store_requests_refused_total',
      help: 'OTLP requests refused whole (malformed, too large, wrong type, bad tenant), by receiver and status.',
      labelNames: ['receiver', 'status'],
      registers,
    });
    const perTenant = (name: string, help: string, pick: (s: ReturnType<TraceStore['stats']>[0]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant'],
        registers,
        collect() {
          this.reset();
          for (const s of store()?.stats() ?? []) this.set({ tenant: s.tenant }, pick(s));
        },
      });
    perTenant('tempo_live_store_live_traces', 'Traces stored now, per tenant.', (s) => s.traces);
    perTenant('tempo_store_live_spans', 'Spans stored now, per tenant.', (s) => s.spans);
    perTenant(
      'tempo_live_store_live_trace_bytes',
      'Estimated bytes of stored spans, per tenant.',
      (s) => s.bytes,
    );
    new Gauge({
      name: 'tempo_build_info',
      help: "Which Tempo answers: branch dojo-tempo-store is the lab's own store.",
      labelNames: ['version', 'revision', 'branch'],
      registers,
    }).set({ version: buildInfo.version, revision: buildInfo.revision, branch: buildInfo.branch }, 1);
    collectDefaultMetrics({ register: this.registry });
  }

  received(tenant: string, spans: number): void {
    this.spansReceived.inc({ tenant }, spans);
  }
  receivedBytes(tenant: string, bytes: number): void {
    this.bytesReceived.inc({ tenant }, bytes);
  }
  traceCreated(tenant: string): void {
    this.tracesCreated.inc({ tenant });
  }
  refused(tenant: string, reason: RefuseReason, spans: number): void {
    this.discarded.inc({ reason, tenant }, spans);
  }
  evicted(tenant: string, reason: EvictReason, spans: number): void {
    this.spansEvicted.inc({ reason, tenant }, spans);
    this.tracesEvicted.inc({ reason, tenant });
  }
  requestRefused(receiver: 'otlp_http' | 'otlp_grpc', status: number | string): void {
    this.requestsRefused.inc({ receiver, status: String(status) });
  }
}
