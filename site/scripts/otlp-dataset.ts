// Tempo's trace-by-id JSON (base64 ids, one batch per service and trace) → one OTLP/JSON request for a
// whole recording: hex ids as OTLP/JSON spells them, spans of equal resources and scopes merged, and
// the resource attributes that only describe the recording machine left out.
import { idToHex } from '@dojo/graders/trace-model';

interface KeyValue {
  key: string;
  value: unknown;
}
interface RawSpan extends Record<string, unknown> {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}
export interface Batch {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: { scope?: Record<string, unknown>; spans?: RawSpan[] }[];
}
export interface OtlpDataset {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: Record<string, unknown>; spans: Record<string, unknown>[] }[];
  }[];
}

const machine = /^(host|process|os)\./;

export function toOtlpDataset(batches: Batch[]): OtlpDataset {
  const resources = new Map<string, Map<string, OtlpDataset['resourceSpans'][0]['scopeSpans'][0]>>();
  const attrsOf = new Map<string, KeyValue[]>();
  for (const batch of batches) {
    const attributes = (batch.resource?.attributes ?? []).filter((a) => !machine.test(a.key));
    const rKey = JSON.stringify(attributes);
    attrsOf.set(rKey, attributes);
    const scopes = resources.get(rKey) ?? new Map();
    resources.set(rKey, scopes);
    for (const ss of batch.scopeSpans ?? []) {
      const scope = ss.scope ?? {};
      const sKey = JSON.stringify(scope);
      const entry = scopes.get(sKey) ?? { scope, spans: [] };
      scopes.set(sKey, entry);
      for (const span of ss.spans ?? []) {
        const { parentSpanId, ...rest } = span;
        entry.spans.push({
          ...rest,
          traceId: idToHex(span.traceId, 16),
          spanId: idToHex(span.spanId, 8),
          ...(parentSpanId ? { parentSpanId: idToHex(parentSpanId, 8) } : {}),
        });
      }
    }
  }
  return {
    resourceSpans: [...resources].map(([rKey, scopes]) => ({
      resource: { attributes: attrsOf.get(rKey)! },
      scopeSpans: [...scopes.values()],
    })),
  };
}
