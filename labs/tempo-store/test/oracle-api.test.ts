// The store answers trace by id, tags and tag values exactly as a real Tempo 3.0.3 did over the
// oracle's fixtures (results.json's `api` section), fixtures pushed through the real OTLP/HTTP receiver.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningStore } from '@dojo/tempo-store';
import {
  baseNs,
  type Encoding,
  fixtureAt,
  fixtureNames,
  getJson,
  push,
  readOracle,
  testStore,
} from './helpers.ts';

type Json = Record<string, any>;
interface OracleApi {
  traceByID: Record<string, Json>;
  tags: Record<string, Json>;
  tagValues: Record<string, Json>;
}

const api = readOracle<{ api: OracleApi }>('results.json').api;
const base = baseNs();
let store: RunningStore;

const hexOf = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const byJson = (a: unknown, b: unknown) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const sortAttrs = (o: Json) => {
  if (o.attributes) o.attributes = [...o.attributes].sort((a: Json, b: Json) => (a.key < b.key ? -1 : 1));
  return o;
};

/** The oracle README's normalization: hex ids, offsets for times, every list in a fixed order. */
function normalize(resourceSpans: Json[], ids: (s: string) => string, offset: (t: string) => string): Json[] {
  return resourceSpans
    .map((rs) => ({
      resource: sortAttrs({ ...rs.resource }),
      scopeSpans: rs.scopeSpans
        .map((ss: Json) => ({
          scope: sortAttrs({ ...ss.scope }),
          spans: ss.spans
            .map((s: Json) => {
              const span: Json = sortAttrs({ ...s, traceId: ids(s.traceId), spanId: ids(s.spanId) });
              if (s.parentSpanId) span.parentSpanId = ids(s.parentSpanId);
              span.startTimeUnixNano = offset(s.startTimeUnixNano);
              span.endTimeUnixNano = offset(s.endTimeUnixNano);
              if (s.events) {
                span.events = s.events
                  .map((e: Json) => sortAttrs({ ...e, timeUnixNano: offset(e.timeUnixNano) }))
                  .sort(byJson);
              }
              if (s.links) {
                span.links = s.links
                  .map((l: Json) => sortAttrs({ ...l, traceId: ids(l.traceId), spanId: ids(l.spanId) }))
                  .sort(byJson);
              }
              return span;
            })
            .sort((a: Json, b: Json) => (a.spanId < b.spanId ? -1 : 1)),
        }))
        .sort((a: Json, b: Json) => byJson(a.scope, b.scope)),
    }))
    .sort((a, b) => byJson(a.resource, b.resource));
}

const ours = (rs: Json[]) => normalize(rs, hexOf, (t) => String(BigInt(t) - base));
const theirs = (rs: Json[]) =>
  normalize(
    rs,
    (s) => s,
    (t) => t,
  );

before(async () => {
  store = await testStore();
  // Every encoding the receiver takes, across the fixtures.
  const encodings: Encoding[] = ['json', 'protobuf', 'protobuf+gzip', 'json+gzip'];
  for (const [i, name] of fixtureNames().entries()) {
    const res = await push(store, fixtureAt(name, base), encodings[i % encodings.length]);
    assert.equal(res.status, 200, `${name}: ${await res.text()}`);
  }
});

after(() => store?.close());

describe('trace by id, as Tempo 3.0.3 answered', () => {
  for (const [key, expected] of Object.entries(api.traceByID)) {
    const [id, note = ''] = key.split(/ (?=\()/);
    test(key, async () => {
      if (note === '') {
        const v2 = await getJson(`${store.urls.tempo}/api/v2/traces/${id}`);
        assert.equal(v2.status, 200);
        assert.deepEqual(ours(v2.body.trace.resourceSpans), theirs(expected.resourceSpans));
        const v1 = await getJson(`${store.urls.tempo}/api/traces/${id}`);
        assert.equal(v1.status, 200);
        assert.deepEqual(ours(v1.body.batches), theirs(expected.resourceSpans), '/api/traces (v1) batches');
      } else if (note.includes('missing, v2')) {
        const v2 = await getJson(`${store.urls.tempo}/api/v2/traces/${id}`);
        assert.equal(v2.status, expected.status);
        assert.deepEqual(v2.body.trace.resourceSpans ?? [], expected.resourceSpans);
      } else if (note.includes('v1')) {
        const res = await fetch(`${store.urls.tempo}/api/traces/${id}`);
        assert.equal(res.status, expected.status);
        assert.equal(await res.text(), expected.body);
      } else if (note.includes('zero-stripped')) {
        const v2 = await getJson(`${store.urls.tempo}/api/v2/traces/${id}`);
        assert.equal(v2.status, expected.status);
        const spans = v2.body.trace.resourceSpans.flatMap((rs: Json) =>
          rs.scopeSpans.flatMap((ss: Json) => ss.spans),
        );
        assert.equal(spans.length, expected.spanCount);
      } else {
        const res = await fetch(`${store.urls.tempo}/api/v2/traces/${id}`);
        assert.equal(res.status, expected.status);
        assert.equal((await res.text()).trim(), expected.body);
      }
    });
  }
});

describe('tag names, as Tempo 3.0.3 answered', () => {
  for (const [key, expected] of Object.entries(api.tags)) {
    test(key, async () => {
      const scope = /scope=(\w+)/.exec(key)?.[1];
      const path = key === 'v1' ? '/api/search/tags' : `/api/v2/search/tags${scope ? `?scope=${scope}` : ''}`;
      const got = await getJson(`${store.urls.tempo}${path}`);
      assert.equal(got.status, expected.status);
      if (key === 'v1') {
        assert.deepEqual([...got.body.tagNames].sort(), [...expected.tagNames].sort());
      } else {
        const norm = (scopes: Json[]) =>
          scopes
            .map((s) => ({ name: s.name, tags: [...s.tags].sort() }))
            .sort((a, b) => (a.name < b.name ? -1 : 1));
        assert.deepEqual(norm(got.body.scopes), norm(expected.scopes));
      }
    });
  }
});

describe('tag values, as Tempo 3.0.3 answered', () => {
  for (const [key, expected] of Object.entries(api.tagValues)) {
    // keys with a q filter go through the engine's search (pending until @dojo/traceql has it)
    test(key, async () => {
      const [tag, q] = key.split(' q=');
      const query = q ? `?q=${encodeURIComponent(q)}` : '';
      const got = await getJson(
        `${store.urls.tempo}/api/v2/search/tag/${encodeURIComponent(tag!)}/values${query}`,
      );
      assert.equal(got.status, expected.status, JSON.stringify(got.body));
      assert.deepEqual([...got.body.values].sort(byJson), [...expected.values].sort(byJson));
    });
  }
});
