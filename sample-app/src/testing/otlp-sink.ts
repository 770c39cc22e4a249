// An OTLP/HTTP (JSON) receiver for tests: the real SDK exports the real spans here, and tests assert on
// them. It is a capture point, not a stand-in for Tempo's query API.
import { createServer, type Server } from 'node:http';

export interface CapturedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  service: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  statusCode: number;
  startMs: number;
  durationMs: number;
  events: { name: string; attributes: Record<string, unknown> }[];
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
type KeyValue = { key: string; value: AnyValue };

const toMap = (kvs: KeyValue[] = []) =>
  Object.fromEntries(
    kvs.map((kv) => [
      kv.key,
      kv.value.stringValue ??
        (kv.value.intValue !== undefined ? Number(kv.value.intValue) : undefined) ??
        kv.value.boolValue ??
        kv.value.doubleValue,
    ]),
  );

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/** One OTLP/JSON ResourceSpans as received: the shape graders also read from Tempo. */
export interface RawResourceSpans {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: { scope?: unknown; spans?: Record<string, unknown>[] }[];
}

export class OtlpSink {
  readonly spans: CapturedSpan[] = [];
  readonly batches: RawResourceSpans[] = [];
  private server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        if (req.url === '/v1/traces') this.ingest(raw);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private ingest(raw: string): void {
    const doc = JSON.parse(raw) as { resourceSpans?: RawResourceSpans[] };
    for (const rs of doc.resourceSpans ?? []) {
      this.batches.push(rs);
      const resource = toMap(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const start = Number(BigInt(String(s.startTimeUnixNano)) / 1000n) / 1000;
          const end = Number(BigInt(String(s.endTimeUnixNano)) / 1000n) / 1000;
          this.spans.push({
            traceId: String(s.traceId),
            spanId: String(s.spanId),
            parentSpanId: String(s.parentSpanId ?? ''),
            name: String(s.name),
            kind: Number(s.kind),
            service: String(resource['service.name']),
            attributes: toMap(s.attributes as KeyValue[]),
            resource,
            statusCode: Number((s.status as { code?: number } | undefined)?.code ?? 0),
            startMs: start,
            durationMs: end - start,
            events: ((s.events as { name: string; attributes?: KeyValue[] }[]) ?? []).map((e) => ({
              name: e.name,
              attributes: toMap(e.attributes),
            })),
          });
        }
      }
    }
  }

  trace(traceId: string): CapturedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** A trace's spans in their received batches, as Tempo's GET /api/traces/<id> body has them. */
  rawTrace(traceId: string): { batches: RawResourceSpans[] } {
    const batches = this.batches
      .map((rs) => ({
        ...rs,
        scopeSpans: (rs.scopeSpans ?? [])
          .map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((sp) => sp.traceId === traceId) }))
          .filter((ss) => ss.spans.length > 0),
      }))
      .filter((rs) => rs.scopeSpans.length > 0);
    return { batches };
  }

  clear(): void {
    this.spans.length = 0;
    this.batches.length = 0;
  }

  /** Polls until `predicate` holds over the captured spans (the SDK exports in batches). */
  async waitFor<T>(
    what: string,
    predicate: (spans: CapturedSpan[]) => T | undefined,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = predicate(this.spans);
      if (found !== undefined && found !== false) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${what}; captured ${this.spans.length} spans`,
    );
  }
}
