// Recorded requests of the sample app (graders/data/traffic/<scenario>.json): each one real trace as Tempo
// returned it, ids in hex, machine-specific resource attributes left out. The replay turns them into traffic.
import { readFileSync } from 'node:fs';

export interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string | number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
  status?: Record<string, unknown>;
  events?: { timeUnixNano?: string; name?: string; attributes?: OtlpAttribute[] }[];
  [field: string]: unknown;
}

export interface OtlpResourceSpans {
  resource: { attributes: OtlpAttribute[] };
  scopeSpans: { scope?: Record<string, unknown>; spans: OtlpSpan[] }[];
}

export interface RecordedRequest {
  /** the shopper's request, e.g. "GET /search" */
  route: string;
  /** web's HTTP status */
  status: number;
  spans: number;
  resourceSpans: OtlpResourceSpans[];
}

export interface Recording {
  scenario: string;
  requests: RecordedRequest[];
}

/** Scenarios with recorded traffic. */
export const recordedScenarios = ['healthy', 'slow-query', 'error-cascade'] as const;
export type RecordedScenario = (typeof recordedScenarios)[number];

const machine = /^(host|process|os)\./;
const hex = (id: unknown) =>
  typeof id !== 'string' || id === ''
    ? undefined
    : /^[0-9a-f]+$/.test(id)
      ? id
      : Buffer.from(id, 'base64').toString('hex');

/** Tempo's GET /api/traces/<id> body → one recorded request. */
export function toRecorded(route: string, status: number, tempoTrace: unknown): RecordedRequest {
  const batches = (tempoTrace as { batches?: OtlpResourceSpans[] }).batches ?? [];
  let spans = 0;
  const resourceSpans = batches.map((b) => ({
    resource: { attributes: (b.resource?.attributes ?? []).filter((a) => !machine.test(a.key)) },
    scopeSpans: b.scopeSpans.map((ss) => ({
      ...(ss.scope ? { scope: ss.scope } : {}),
      spans: ss.spans.map((s) => {
        spans++;
        const parent = hex(s.parentSpanId);
        return {
          ...s,
          traceId: hex(s.traceId)!,
          spanId: hex(s.spanId)!,
          ...(parent ? { parentSpanId: parent } : {}),
        };
      }),
    })),
  }));
  return { route, status, spans, resourceSpans };
}

const cache = new Map<string, Recording>();

export function readRecording(scenario: RecordedScenario): Recording {
  let r = cache.get(scenario);
  if (!r) {
    r = JSON.parse(
      readFileSync(new URL(`../data/traffic/${scenario}.json`, import.meta.url), 'utf8'),
    ) as Recording;
    cache.set(scenario, r);
  }
  return r;
}
