// Tempo's trace-by-id JSON (base64 ids, one batch per service and trace) → one OTLP/JSON request for a
// whole recording: hex ids as OTLP/JSON spells them, spans of equal resources and scopes merged, and
// the resource attributes that only describe the recording machine left out.

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
const hex = (id: string) => (/^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

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
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          ...(parentSpanId ? { parentSpanId: hex(parentSpanId) } : {}),
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
