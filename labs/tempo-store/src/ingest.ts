// One decoded OTLP request into the store, shared by both receivers: tenant check, conversion to the
// engine's spans, append. Outcomes carry the HTTP status and the gRPC code Tempo's receivers would use.
import { OtlpShapeError, spansFromOtlp } from '@dojo/traceql';
import type { StoreMetrics } from './metrics.ts';
import type { TraceStore } from './store.ts';
import { tenantsOf } from './tenant.ts';

export interface ReceiverContext {
  store: TraceStore;
  metrics: StoreMetrics;
  multitenancy: boolean;
  /** Largest request body (and decompressed body) taken, in bytes. */
  maxRequestBytes: number;
}

/** gRPC status codes the receivers answer with (google.rpc.Code). */
export const grpcCode = {
  invalidArgument: 3,
  internal: 13,
  unauthenticated: 16,
  resourceExhausted: 8,
} as const;

export type Refusal = { status: number; code: number; message: string };
export type IngestOutcome =
  | { ok: true; accepted: number; refused: number; refusal?: string }
  | ({ ok: false } & Refusal);

export function tenantFor(
  ctx: ReceiverContext,
  header: string | string[] | undefined,
): { tenant: string } | Refusal {
  const t = tenantsOf(header, ctx.multitenancy, false);
  if (t.ok) return { tenant: t.tenants[0]! };
  return {
    status: t.status,
    code: t.status === 401 ? grpcCode.unauthenticated : grpcCode.invalidArgument,
    message: t.message,
  };
}

/** Converts and stores a decoded request. Throws only on a bug; a malformed request is an outcome. */
export function ingest(
  ctx: ReceiverContext,
  tenant: string,
  request: unknown,
  wireBytes: number,
): IngestOutcome {
  let spans: ReturnType<typeof spansFromOtlp>;
  try {
    spans = spansFromOtlp(request);
  } catch (e) {
    if (!(e instanceof OtlpShapeError)) throw e;
    return {
      ok: false,
      status: 400,
      code: grpcCode.invalidArgument,
      message: `not an OTLP traces request: ${e.message}`,
    };
  }
  ctx.metrics.receivedBytes(tenant, wireBytes);
  const result = ctx.store.append(tenant, spans);
  return { ok: true, ...result };
}
