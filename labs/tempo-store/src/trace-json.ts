// A stored trace back in OTLP/JSON as Tempo's trace-by-id answers it: spans grouped by resource, then
// by instrumentation scope; ids in base64, int64s as strings, enums by name, empty fields left out.
import type { Attributes, AttrScalar, AttrValue, Span } from '@dojo/traceql';
import { base64Id, spanKindNames, statusCodeNames } from './otlp-json.ts';

// Named through Span: the engine's index also exports an AST type called Scope.
type Resource = Span['resource'];
type Scope = Span['scope'];

type Json = Record<string, unknown>;

function doubleJson(n: number): number | string {
  // protobuf's JSON mapping spells the non-finite doubles as strings
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  return n;
}

function scalarJson(v: AttrScalar): Json {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    default:
      return { doubleValue: doubleJson(v) };
  }
}

function valueJson(v: AttrValue): Json {
  if (Array.isArray(v)) return { arrayValue: v.length ? { values: v.map(scalarJson) } : {} };
  return scalarJson(v as AttrScalar);
}

function attributesJson(attrs: Attributes): Json[] {
  const out: Json[] = [];
  for (const [key, value] of attrs) out.push({ key, value: valueJson(value) });
  return out;
}

function withAttributes(target: Json, attrs: Attributes): Json {
  if (attrs.size > 0) target.attributes = attributesJson(attrs);
  return target;
}

function spanJson(span: Span): Json {
  const out: Json = { traceId: base64Id(span.traceId), spanId: base64Id(span.spanId) };
  if (span.parentSpanId) out.parentSpanId = base64Id(span.parentSpanId);
  if (span.name) out.name = span.name;
  if (span.kind !== 0) out.kind = spanKindNames[span.kind];
  out.startTimeUnixNano = span.startNs.toString();
  out.endTimeUnixNano = (span.startNs + BigInt(span.durationNs)).toString();
  withAttributes(out, span.attrs);
  if (span.events.length) {
    out.events = span.events.map((e) =>
      withAttributes({ timeUnixNano: e.timeNs.toString(), name: e.name }, e.attrs),
    );
  }
  if (span.links.length) {
    out.links = span.links.map((l) =>
      withAttributes({ traceId: base64Id(l.traceId), spanId: base64Id(l.spanId) }, l.attrs),
    );
  }
  const status: Json = {};
  if (span.statusMessage) status.message = span.statusMessage;
  if (span.statusCode !== 0) status.code = statusCodeNames[span.statusCode];
  out.status = status;
  return out;
}

// Spans of one request share their Resource and Scope objects; equal ones from different requests are
// told apart by content, so one service's spans come back as one resource whatever the batching.
const contentKeys = new WeakMap<object, string>();
function contentKey(o: Resource | Scope): string {
  let key = contentKeys.get(o);
  if (key === undefined) {
    const attrs = JSON.stringify(attributesJson(o.attrs));
    key = 'name' in o ? `${o.name}\u0000${o.version}\u0000${attrs}` : attrs;
    contentKeys.set(o, key);
  }
  return key;
}

/** `resourceSpans` for these spans (one trace, possibly from several tenants). */
export function resourceSpansJson(spans: readonly Span[]): Json[] {
  const resources = new Map<
    string,
    { resource: Resource; scopes: Map<string, { scope: Scope; spans: Json[] }> }
  >();
  for (const span of spans) {
    const rKey = contentKey(span.resource);
    let r = resources.get(rKey);
    if (!r) {
      r = { resource: span.resource, scopes: new Map() };
      resources.set(rKey, r);
    }
    const sKey = contentKey(span.scope);
    let s = r.scopes.get(sKey);
    if (!s) {
      s = { scope: span.scope, spans: [] };
      r.scopes.set(sKey, s);
    }
    s.spans.push(spanJson(span));
  }
  return [...resources.values()].map(({ resource, scopes }) => ({
    resource: withAttributes({}, resource.attrs),
    scopeSpans: [...scopes.values()].map(({ scope, spans: scopeSpans }) => {
      const scopeJson: Json = {};
      if (scope.name) scopeJson.name = scope.name;
      if (scope.version) scopeJson.version = scope.version;
      withAttributes(scopeJson, scope.attrs);
      return { scope: scopeJson, spans: scopeSpans };
    }),
  }));
}
