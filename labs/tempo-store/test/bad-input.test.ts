// Bad input at every endpoint of the real store: each is answered with the right status and a reason,
// the store keeps serving, and the trace stored before all of it comes back unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { RunningStore } from '@dojo/tempo-store';
import * as grpc from '@grpc/grpc-js';
import { decodeStatus } from '../src/otlp-proto.ts';
import { baseNs, fixtureAt, getJson, protobufOf, push, testStore } from './helpers.ts';

const limit = 256 * 1024;
const knownTrace = 'c4ec0a75000000000000000000000001';
let store: RunningStore;
let snapshot: string;

async function post(
  body: Buffer | string,
  headers: Record<string, string>,
  path = '/v1/traces',
  method = 'POST',
) {
  const res = await fetch(`${store.urls.otlpHttp}${path}`, {
    method,
    headers,
    body: method === 'GET' ? null : body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

const pb = { 'content-type': 'application/x-protobuf' };
const json = { 'content-type': 'application/json' };

/** The google.rpc.Status message of an OTLP/HTTP failure, in the encoding of the request. */
function statusMessage(reply: { type: string; body: Buffer }): string {
  if (reply.type.includes('protobuf')) return decodeStatus(reply.body).message ?? '';
  return JSON.parse(reply.body.toString()).message;
}

before(async () => {
  store = await testStore({ maxRequestBytes: limit });
  const res = await push(store, fixtureAt('02-shop-checkout-async.json', baseNs()), 'protobuf');
  assert.equal(res.status, 200);
  snapshot = JSON.stringify((await getJson(`${store.urls.tempo}/api/v2/traces/${knownTrace}`)).body);
  assert.match(snapshot, /resourceSpans/);
});

after(async () => {
  // Still serving, and what was stored before the bad input is all there.
  assert.equal((await fetch(`${store.urls.tempo}/ready`)).status, 200);
  const now = await getJson(`${store.urls.tempo}/api/v2/traces/${knownTrace}`);
  assert.equal(JSON.stringify(now.body), snapshot, 'the stored trace changed');
  await store.close();
});

describe('OTLP/HTTP refuses what it cannot take, with a reason', () => {
  test('malformed protobuf is 400 with a protobuf Status naming the problem', async () => {
    const r = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), pb);
    assert.equal(r.status, 400);
    assert.match(statusMessage(r), /not valid protobuf ExportTraceServiceRequest/);
  });

  test('malformed JSON is 400 with a JSON Status', async () => {
    const r = await post('{"resourceSpans": [', json);
    assert.equal(r.status, 400);
    assert.equal(r.type, 'application/json');
    assert.match(statusMessage(r), /not valid JSON/);
  });

  test('JSON that is not an OTLP request is 400', async () => {
    const r = await post('{"resourceSpans": "everything"}', json);
    assert.equal(r.status, 400);
    assert.match(statusMessage(r), /resourceSpans must be a list/);
  });

  test('a trace id longer than 16 bytes is 400', async () => {
    const body = fixtureAt('06-edge-cases.json', baseNs());
    const span = (body as any).resourceSpans[0].scopeSpans[0].spans[0];
    span.traceId = 'ab'.repeat(20);
    const r = await post(JSON.stringify(body), json);
    assert.equal(r.status, 400);
    assert.match(statusMessage(r), /traceId .* longer than 16 bytes/);
  });

  test('a span without ids is 400 and nothing of the request is stored', async () => {
    const body = fixtureAt('06-edge-cases.json', baseNs());
    delete (body as any).resourceSpans[0].scopeSpans[0].spans[0].spanId;
    const before = store.store.size.spans;
    const r = await post(JSON.stringify(body), json);
    assert.equal(r.status, 400);
    assert.match(statusMessage(r), /no spanId/);
    assert.equal(store.store.size.spans, before);
  });

  test('a wrong or missing content type is 415', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const r = await post('hello', headers);
      assert.equal(r.status, 415);
      assert.match(
        r.body.toString(),
        /unsupported media type, supported: \[application\/json, application\/x-protobuf\]/,
      );
    }
  });

  test('GET is 405 and other signals are 404', async () => {
    assert.equal((await post('', pb, '/v1/traces', 'GET')).status, 405);
    const metrics = await post('{}', json, '/v1/metrics');
    assert.equal(metrics.status, 404);
    assert.match(metrics.body.toString(), /takes traces only/);
  });

  test('a body over the limit is 413, compressed or once decompressed', async () => {
    const big = Buffer.alloc(limit + 1, 0x20);
    const r = await post(big, json);
    assert.equal(r.status, 413);
    assert.match(statusMessage(r), /larger than 262144 bytes: send smaller batches/);
    const bomb = gzipSync(Buffer.alloc(limit * 4, 0x20));
    assert.ok(bomb.length < limit);
    const g = await post(bomb, { ...json, 'content-encoding': 'gzip' });
    assert.equal(g.status, 413);
    assert.match(statusMessage(g), /decompressed request body larger/);
  });

  test('a corrupt gzip body and an unknown encoding are 400', async () => {
    const corrupt = await post(Buffer.from('not gzip at all'), { ...pb, 'content-encoding': 'gzip' });
    assert.equal(corrupt.status, 400);
    assert.match(statusMessage(corrupt), /gzip body could not be decompressed/);
    const snappy = await post(Buffer.from(protobufOf({})), { ...pb, 'content-encoding': 'snappy' });
    assert.equal(snappy.status, 400);
    assert.match(statusMessage(snappy), /unsupported Content-Encoding "snappy"/);
  });

  test('an empty request is accepted and stores nothing', async () => {
    const r = await post(Buffer.alloc(0), pb);
    assert.equal(r.status, 200);
  });
});

describe('OTLP/gRPC refuses what it cannot take, with a code and a reason', () => {
  function exportRaw(bytes: Buffer): Promise<grpc.ServiceError | null> {
    const client = new grpc.Client(store.urls.otlpGrpc, grpc.credentials.createInsecure());
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        (err) => {
          client.close();
          resolve(err);
        },
      );
    });
  }

  test('malformed protobuf is INVALID_ARGUMENT', async () => {
    const err = await exportRaw(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.equal(err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err!.details, /not a valid protobuf ExportTraceServiceRequest/);
  });

  test('a message over the limit is RESOURCE_EXHAUSTED', async () => {
    const err = await exportRaw(Buffer.alloc(limit + 10, 0));
    assert.equal(err?.code, grpc.status.RESOURCE_EXHAUSTED);
  });
});

describe("Tempo's API refuses bad parameters with 400 and a reason", () => {
  const cases: [string, RegExp][] = [
    ['/api/v2/traces/not-hex', /only contain hex characters: invalid character 'n' at position 1/],
    ['/api/traces/xyz', /only contain hex characters/],
    [`/api/v2/traces/${'a'.repeat(33)}`, /can't be larger than 128 bits/],
    [`/api/traces/${knownTrace}?start=yesterday`, /invalid start/],
    ['/api/search?q={}&start=abc&end=10', /invalid start/],
    ['/api/search?q={}&start=20&end=10', /start must be before end/],
    ['/api/search?q={}&limit=0', /must be a positive number/],
    ['/api/search?q={}&spss=lots', /invalid spss/],
    ['/api/metrics/query_range?q={}|rate()&start=100&end=50', /end must be greater than start/],
    ['/api/metrics/query_range?q={}|rate()&start=0&end=3600&step=1ms', /step of .* is too small/],
    ['/api/metrics/query_range?q={}|rate()&step=often', /cannot parse "often" to a valid duration/],
    ['/api/metrics/query_range?start=0&end=60', /missing q/],
    ['/api/metrics/query?q={}|rate()&end=soon', /could not parse 'end'/],
    ['/api/v2/search/tags?scope=everything', /invalid scope "everything"/],
    ['/api/v2/search/tags?start=10&end=5', /start must be before end/],
    [
      '/api/v2/search/tag/http.route/values',
      /not valid intrinsic or scoped attribute: http.route \(try span.http.route/,
    ],
  ];
  for (const [path, reason] of cases) {
    test(path, async () => {
      const res = await fetch(`${store.urls.tempo}${path}`);
      assert.equal(res.status, 400);
      assert.match(await res.text(), reason);
    });
  }

  test('an unknown path is 404 and a missing trace is 404 on v1, 200 on v2', async () => {
    assert.equal((await fetch(`${store.urls.tempo}/api/nothing`)).status, 404);
    assert.equal((await fetch(`${store.urls.tempo}/api/traces/${'1'.repeat(32)}`)).status, 404);
    const v2 = await getJson(`${store.urls.tempo}/api/v2/traces/${'1'.repeat(32)}`);
    assert.deepEqual(v2, { status: 200, body: { trace: {} } });
  });
});

describe('tenants, with multi-tenancy on', () => {
  let mt: RunningStore;
  before(async () => {
    mt = await testStore({ multitenancy: true });
  });
  after(() => mt.close());

  test("a push or a query without X-Scope-OrgID is 401 'no org id'", async () => {
    const res = await push(mt, fixtureAt('06-edge-cases.json', baseNs()), 'json');
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /^no org id/);
    const q = await fetch(`${mt.urls.tempo}/api/search/tags`);
    assert.equal(q.status, 401);
    assert.match(await q.text(), /^no org id/);
  });

  test('an invalid tenant is 400 with the rule it breaks', async () => {
    for (const [tenant, reason] of [
      ['tenant#1', /unsupported character '#'/],
      ['..', /'\.' or '\.\.'/],
      ['a'.repeat(151), /too long/],
    ] as const) {
      const res = await push(mt, fixtureAt('06-edge-cases.json', baseNs()), 'protobuf', {
        'x-scope-orgid': tenant,
      });
      assert.equal(res.status, 400);
      assert.match(decodeStatus(Buffer.from(await res.arrayBuffer())).message ?? '', reason);
      const q = await fetch(`${mt.urls.tempo}/api/v2/search/tags`, { headers: { 'x-scope-orgid': tenant } });
      assert.equal(q.status, 400);
      assert.match(await q.text(), reason);
    }
  });

  test("one tenant's traces are invisible to another, and visible to a query naming both", async () => {
    const res = await push(mt, fixtureAt('06-edge-cases.json', baseNs()), 'json', {
      'x-scope-orgid': 'team-a',
    });
    assert.equal(res.status, 200);
    const id = '00000000000000000000000000000042';
    const get = (tenant: string) =>
      fetch(`${mt.urls.tempo}/api/traces/${id}`, { headers: { 'x-scope-orgid': tenant } });
    assert.equal((await get('team-a')).status, 200);
    assert.equal((await get('team-b')).status, 404);
    assert.equal((await get('team-b|team-a')).status, 200);
  });

  test('gRPC without a tenant is UNAUTHENTICATED', async () => {
    const client = new grpc.Client(mt.urls.otlpGrpc, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(protobufOf(fixtureAt('06-edge-cases.json', baseNs()))),
        (e) => resolve(e),
      ),
    );
    client.close();
    assert.equal(err?.code, grpc.status.UNAUTHENTICATED);
    assert.match(err!.details, /no org id/);
  });
});
