// The store as its users meet it: spans in over OTLP/gRPC and OTLP/HTTP visible at once by id, refused
// spans reported as partial_success, retention by size and by age, and /metrics counting all of it.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { decodeTraceResponse, type RunningStore } from '@dojo/tempo-store';
import * as grpc from '@grpc/grpc-js';
import { baseNs, fixtureAt, fixtureNames, getJson, protobufOf, push, testStore } from './helpers.ts';

const stores: RunningStore[] = [];
after(() => Promise.all(stores.map((s) => s.close())));

async function started(options: Parameters<typeof testStore>[0] = {}): Promise<RunningStore> {
  const s = await testStore(options);
  stores.push(s);
  return s;
}

/** One sample of /metrics, summed over the series whose labels include `labels`. */
async function metric(
  store: RunningStore,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${store.urls.tempo}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

/** Polls until `check` holds (never a fixed sleep); fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exportGrpc(store: RunningStore, body: Uint8Array, tenant?: string): Promise<Buffer> {
  const client = new grpc.Client(store.urls.otlpGrpc, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (tenant) metadata.set('x-scope-orgid', tenant);
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      metadata,
      (err, reply) => {
        client.close();
        if (err) reject(err);
        else resolve(reply!);
      },
    ),
  );
}

const spanCount = (v2: any) =>
  (v2.trace.resourceSpans ?? []).reduce(
    (n: number, rs: any) => n + rs.scopeSpans.reduce((m: number, ss: any) => m + ss.spans.length, 0),
    0,
  );

describe('spans in, visible at once', () => {
  test('an OTLP/gRPC export is answered with an empty ExportTraceServiceResponse and is found by id', async () => {
    const store = await started();
    const reply = await exportGrpc(store, protobufOf(fixtureAt('03-shop-database.json', baseNs())));
    assert.deepEqual(decodeTraceResponse(reply), {});
    const traceIds = new Set(store.store.traces(['single-tenant']).map((t) => t.traceId));
    assert.ok(traceIds.size > 0);
    for (const id of traceIds) {
      const v2 = await getJson(`${store.urls.tempo}/api/v2/traces/${id}`);
      assert.ok(spanCount(v2.body) > 0, `trace ${id} not found right after the export`);
    }
  });

  test('traces created are counted per tenant, as tests wait on with real Tempo', async () => {
    const store = await started();
    for (const name of fixtureNames()) {
      assert.equal((await push(store, fixtureAt(name, baseNs()), 'protobuf')).status, 200);
    }
    assert.equal(store.store.size.traces, 45, 'the oracle has 45 traces');
    const created = await metric(store, 'tempo_live_store_traces_created_total', { tenant: 'single-tenant' });
    assert.equal(created, store.store.size.traces);
    assert.equal(await metric(store, 'tempo_live_store_live_traces'), store.store.size.traces);
    assert.equal(await metric(store, 'tempo_distributor_spans_received_total'), store.store.size.spans);
  });
});

describe('refused spans are reported, never silently dropped', () => {
  test('spans past the per-trace limit come back as partial_success and are counted', async () => {
    const store = await started({ limits: { maxBytesPerTrace: 3000 } });
    const res = await push(store, fixtureAt('03-shop-database.json', baseNs()), 'json');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { partialSuccess?: { rejectedSpans: string; errorMessage: string } };
    const rejected = Number(body.partialSuccess?.rejectedSpans ?? 0);
    assert.ok(rejected > 0, `expected refused spans, got ${JSON.stringify(body)}`);
    assert.match(body.partialSuccess!.errorMessage, /per-trace limit of 3000 bytes/);
    assert.equal(await metric(store, 'tempo_discarded_spans_total', { reason: 'trace_too_large' }), rejected);
    const grpcReply = decodeTraceResponse(
      await exportGrpc(store, protobufOf(fixtureAt('03-shop-database.json', baseNs()))),
    );
    assert.ok((grpcReply.partialSuccess?.rejectedSpans ?? 0) > 0);
  });
});

describe('retention', () => {
  test('past the size budget the oldest traces go first, and are counted', async () => {
    const store = await started({ limits: { maxBytes: 40_000 } });
    const names = fixtureNames();
    for (const name of names)
      assert.equal((await push(store, fixtureAt(name, baseNs()), 'protobuf')).status, 200);
    assert.ok(store.store.size.bytes <= 40_000);
    const evicted = await metric(store, 'tempo_store_traces_evicted_total', { reason: 'size' });
    assert.ok(evicted > 0, 'nothing was evicted');
    // the first fixture's trace is gone, the last one's is there
    const first = await fetch(`${store.urls.tempo}/api/traces/10adf10e000000000000000000000001`);
    assert.equal(first.status, 404);
    const last = await fetch(`${store.urls.tempo}/api/traces/00000000000000000000000000000042`);
    assert.equal(last.status, 200);
    assert.ok((await metric(store, 'tempo_store_spans_evicted_total', { reason: 'size' })) >= evicted);
  });

  test('a trace idle past the age limit is evicted and counted', async () => {
    const store = await started({ limits: { maxAgeMs: 300 } });
    assert.equal((await push(store, fixtureAt('06-edge-cases.json', baseNs()), 'json')).status, 200);
    const url = `${store.urls.tempo}/api/traces/00000000000000000000000000000042`;
    assert.equal((await fetch(url)).status, 200);
    await until('the idle trace to be evicted', async () => (await fetch(url)).status === 404);
    assert.ok((await metric(store, 'tempo_store_traces_evicted_total', { reason: 'age' })) > 0);
    assert.equal(store.store.size.traces, 0);
  });
});
