// Test helpers: a real store on free ports, the oracle's fixtures (in @dojo/traceql's test data) shifted
// to a base time, and OTLP bodies in each encoding.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encodeTraceRequest, type RunningStore, type StoreOptions, startStore } from '@dojo/tempo-store';

export const oracleDir = new URL('../test/oracle/', import.meta.resolve('@dojo/traceql'));

export function readOracle<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, oracleDir), 'utf8')) as T;
}

export function fixtureNames(): string[] {
  return readdirSync(new URL('fixtures/', oracleDir))
    .filter((f) => /^\d\d-.*\.json$/.test(f))
    .sort();
}

type Json = Record<string, unknown>;

const timeKeys = new Set(['startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano']);
const idKeys = new Set(['traceId', 'spanId', 'parentSpanId']);

function mapDeep(value: unknown, fn: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, fn(k, mapDeep(v, fn))]));
  }
  return value;
}

/** A fixture body with every time offset moved to base + offset. */
export function fixtureAt(name: string, baseNs: bigint): Json {
  const body = readOracle<Json>(`fixtures/${name}`);
  return mapDeep(body, (k, v) =>
    timeKeys.has(k) && typeof v === 'string' ? String(baseNs + BigInt(v)) : v,
  ) as Json;
}

/** The same request as protobuf bytes (OTLP/JSON's hex ids become bytes). */
export function protobufOf(body: Json): Uint8Array {
  return encodeTraceRequest(
    mapDeep(body, (k, v) => (idKeys.has(k) && typeof v === 'string' ? Buffer.from(v, 'hex') : v)) as Json,
  );
}

export async function testStore(options: Partial<StoreOptions> = {}): Promise<RunningStore> {
  return startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0, ...options });
}

export type Encoding = 'json' | 'protobuf' | 'protobuf+gzip' | 'json+gzip';

export async function push(
  store: RunningStore,
  body: Json,
  encoding: Encoding = 'json',
  headers: Record<string, string> = {},
): Promise<Response> {
  const raw = encoding.startsWith('json') ? Buffer.from(JSON.stringify(body)) : Buffer.from(protobufOf(body));
  const gzip = encoding.endsWith('+gzip');
  return fetch(`${store.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: {
      'content-type': encoding.startsWith('json') ? 'application/json' : 'application/x-protobuf',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...headers,
    },
    body: gzip ? gzipSync(raw) : raw,
  });
}

/**
 * A base time for the fixtures' offsets: `agoS` before now, so the default search window holds them, and on
 * a whole minute: metrics samples fall on multiples of the step, so the oracle's bucket offsets (recorded
 * with an aligned base) hold only for an aligned base.
 */
export function baseNs(agoS = 120): bigint {
  const s = Math.floor(Date.now() / 1000) - agoS;
  return BigInt(s - (s % 60)) * 1_000_000_000n;
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}
