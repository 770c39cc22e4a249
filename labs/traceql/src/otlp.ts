// OTLP ExportTraceServiceRequest → the engine's spans. Accepts both shapes a store meets: OTLP/JSON
// (hex ids, times as decimal strings, kinds as numbers or enum names) and a protobuf decoder's
// objects (ids as bytes, times as Long-like or bigint), so one converter serves every receiver.
import { base64ToHex, bytesToBase64, bytesToHex } from './bytes.ts';
import type {
  Attributes,
  AttrScalar,
  AttrValue,
  Resource,
  Scope,
  Span,
  SpanKind,
  StatusCode,
} from './model.ts';

type Loose = Record<string, unknown>;

export class OtlpShapeError extends Error {}

const KIND_NAMES: Record<string, SpanKind> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_NAMES: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

function safeBase64ToHex(text: string, what: string): string {
  try {
    return base64ToHex(text);
  } catch {
    throw new OtlpShapeError(`${what} is neither hex nor base64`);
  }
}

function hexOf(id: unknown, digits: number, what: string): string {
  if (id === undefined || id === null || id === '') return '';
  let hex: string;
  if (typeof id === 'string') {
    // OTLP/JSON says hex; Tempo's own trace JSON uses base64. Accept both, as Tempo's receivers do.
    hex = /^[0-9a-fA-F]*$/.test(id) ? id.toLowerCase() : safeBase64ToHex(id, what);
  } else if (id instanceof Uint8Array) {
    hex = bytesToHex(id);
  } else {
    throw new OtlpShapeError(`${what} must be hex text or bytes`);
  }
  if (hex.length === 0) return '';
  if (hex.length > digits) throw new OtlpShapeError(`${what} ${hex} is longer than ${digits / 2} bytes`);
  return hex.padStart(digits, '0');
}

function nanos(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'object' && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number; unsigned?: boolean };
    const high = BigInt(long.high >>> 0) << 32n;
    return BigInt.asUintN(64, high | BigInt(long.low >>> 0));
  }
  throw new OtlpShapeError(`${what} must be nanoseconds since the epoch`);
}

function intValue(value: unknown): bigint {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt.asIntN(64, BigInt(value));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'bigint') return value;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number };
    return BigInt.asIntN(64, (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0));
  }
  throw new OtlpShapeError('intValue must be an integer');
}

function scalar(v: Loose): AttrScalar | undefined {
  if (Object.hasOwn(v, 'stringValue') && v.stringValue !== undefined && v.stringValue !== null)
    return String(v.stringValue);
  if (Object.hasOwn(v, 'boolValue') && v.boolValue !== undefined && v.boolValue !== null)
    return Boolean(v.boolValue);
  if (Object.hasOwn(v, 'intValue') && v.intValue !== undefined && v.intValue !== null)
    return intValue(v.intValue);
  if (Object.hasOwn(v, 'doubleValue') && v.doubleValue !== undefined && v.doubleValue !== null) {
    return Number(v.doubleValue);
  }
  return undefined;
}

function anyValue(v: unknown): AttrValue | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const value = v as Loose;
  const s = scalar(value);
  if (s !== undefined) return s;
  if (value.arrayValue && typeof value.arrayValue === 'object') {
    const items = ((value.arrayValue as Loose).values ?? []) as unknown[];
    const out: AttrScalar[] = [];
    for (const item of items) {
      const one = item && typeof item === 'object' ? scalar(item as Loose) : undefined;
      if (one !== undefined) out.push(one);
    }
    return out;
  }
  if (value.kvlistValue !== undefined) return JSON.stringify(value.kvlistValue);
  if (value.bytesValue !== undefined) {
    const bytes = value.bytesValue;
    return bytes instanceof Uint8Array ? bytesToBase64(bytes) : String(bytes);
  }
  return undefined;
}

export function attributesOf(list: unknown): Attributes {
  const attrs = new Map<string, AttrValue>();
  if (!Array.isArray(list)) return attrs;
  for (const kv of list) {
    if (!kv || typeof kv !== 'object') continue;
    const { key, value } = kv as Loose;
    if (typeof key !== 'string') continue;
    const v = anyValue(value);
    if (v !== undefined) attrs.set(key, v);
  }
  return attrs;
}

function kindOf(kind: unknown): SpanKind {
  if (typeof kind === 'number' && kind >= 0 && kind <= 5) return kind as SpanKind;
  if (typeof kind === 'string' && kind in KIND_NAMES) return KIND_NAMES[kind]!;
  return 0;
}

function statusOf(status: unknown): { code: StatusCode; message: string } {
  if (!status || typeof status !== 'object') return { code: 0, message: '' };
  const { code, message } = status as Loose;
  let c: StatusCode = 0;
  if (typeof code === 'number' && code >= 0 && code <= 2) c = code as StatusCode;
  else if (typeof code === 'string' && code in STATUS_NAMES) c = STATUS_NAMES[code]!;
  return { code: c, message: typeof message === 'string' ? message : '' };
}

function array(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpShapeError(`${what} must be a list`);
  return value;
}

/**
 * Every span of an ExportTraceServiceRequest, in the engine's model. Throws OtlpShapeError (a
 * client's mistake: answer 400) when the request is not shaped like OTLP.
 */
export function spansFromOtlp(request: unknown): Span[] {
  if (!request || typeof request !== 'object')
    throw new OtlpShapeError('the body is not an OTLP traces request');
  const spans: Span[] = [];
  for (const rs of array((request as Loose).resourceSpans, 'resourceSpans')) {
    const rsObj = (rs ?? {}) as Loose;
    const resource: Resource = { attrs: attributesOf((rsObj.resource as Loose | undefined)?.attributes) };
    // OTLP before 1.0 called scopeSpans instrumentationLibrarySpans; old SDKs still send it.
    const scopes = rsObj.scopeSpans ?? rsObj.instrumentationLibrarySpans;
    for (const ss of array(scopes, 'scopeSpans')) {
      const ssObj = (ss ?? {}) as Loose;
      const s = (ssObj.scope ?? ssObj.instrumentationLibrary ?? {}) as Loose;
      const scope: Scope = {
        name: typeof s.name === 'string' ? s.name : '',
        version: typeof s.version === 'string' ? s.version : '',
        attrs: attributesOf(s.attributes),
      };
      for (const sp of array(ssObj.spans, 'spans')) {
        spans.push(spanOf((sp ?? {}) as Loose, resource, scope));
      }
    }
  }
  return spans;
}

// Most spans have no events or links: one shared empty list saves two arrays per stored span.
const NONE: readonly never[] = Object.freeze([]);

function mapOrShared<T, U>(items: readonly T[], f: (item: T) => U): readonly U[] {
  return items.length === 0 ? NONE : items.map(f);
}

function spanOf(sp: Loose, resource: Resource, scope: Scope): Span {
  const traceId = hexOf(sp.traceId, 32, 'traceId');
  const spanId = hexOf(sp.spanId, 16, 'spanId');
  if (!traceId || /^0+$/.test(traceId)) throw new OtlpShapeError('a span has no traceId');
  if (!spanId) throw new OtlpShapeError('a span has no spanId');
  const startNs = nanos(sp.startTimeUnixNano, 'startTimeUnixNano');
  const endNs = nanos(sp.endTimeUnixNano, 'endTimeUnixNano');
  const status = statusOf(sp.status);
  return {
    traceId,
    spanId,
    parentSpanId: hexOf(sp.parentSpanId, 16, 'parentSpanId'),
    name: typeof sp.name === 'string' ? sp.name : '',
    kind: kindOf(sp.kind),
    startNs,
    durationNs: endNs > startNs ? Number(endNs - startNs) : 0,
    statusCode: status.code,
    statusMessage: status.message,
    attrs: attributesOf(sp.attributes),
    events: mapOrShared(array(sp.events, 'events'), (e) => {
      const ev = (e ?? {}) as Loose;
      return {
        name: typeof ev.name === 'string' ? ev.name : '',
        timeNs: nanos(ev.timeUnixNano, 'events.timeUnixNano'),
        attrs: attributesOf(ev.attributes),
      };
    }),
    links: mapOrShared(array(sp.links, 'links'), (l) => {
      const link = (l ?? {}) as Loose;
      return {
        traceId: hexOf(link.traceId, 32, 'links.traceId'),
        spanId: hexOf(link.spanId, 16, 'links.spanId'),
        attrs: attributesOf(link.attributes),
      };
    }),
    resource,
    scope,
    nestedSetLeft: 0,
    nestedSetRight: 0,
    nestedSetParent: 0,
    childCount: 0,
  };
}
