// Search and TraceQL metrics through the store's HTTP API (the engine behind its adapter) give the
// oracle's answers: which traces match and how many spans per set, the metrics series and values.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningStore } from '@dojo/tempo-store';
import { DIVERGENCES } from '@dojo/traceql/testing';
import { baseNs, fixtureAt, fixtureNames, getJson, push, readOracle, testStore } from './helpers.ts';

type Json = Record<string, any>;
interface OracleQuery {
  id: string;
  family: string;
  q: string;
  api: 'search' | 'metrics';
  params: { spss?: number; limit?: number; step?: string };
  result: Json;
}
const oracle = readOracle<{ queries: OracleQuery[]; window: Json }>('results.json');
const base = baseNs();
const baseS = Number(base / 1_000_000_000n);
let store: RunningStore;

before(async () => {
  store = await testStore();
  for (const name of fixtureNames())
    assert.equal((await push(store, fixtureAt(name, base), 'protobuf')).status, 200);
});
after(() => store?.close());

const pad = (id: string) => id.padStart(32, '0');
/** Per trace: its padded id and the `matched` of each span set, sorted. */
const shape = (traces: Json[]) =>
  traces
    .map((t) => ({ traceID: pad(t.traceID), matched: (t.spanSets ?? []).map((s: Json) => s.matched).sort() }))
    .sort((a, b) => (a.traceID < b.traceID ? -1 : 1));

describe('search over HTTP gives the oracle’s traces and span-set sizes', () => {
  // The engine's listed divergences from the recorded Tempo (see labs/traceql/README.md).
  for (const query of oracle.queries.filter((q) => q.api === 'search' && !(q.id in DIVERGENCES))) {
    test(`${query.family}/${query.id}: ${query.q}`, async () => {
      const p = new URLSearchParams({
        q: query.q,
        start: String(baseS + oracle.window.searchStartOffsetS),
        end: String(baseS + oracle.window.searchEndOffsetS),
      });
      if (query.params.spss) p.set('spss', String(query.params.spss));
      if (query.params.limit) p.set('limit', String(query.params.limit));
      const got = await getJson(`${store.urls.tempo}/api/search?${p}`);
      assert.equal(got.status, query.result.status, typeof got.body === 'string' ? got.body : '');
      if (query.result.status !== 200) return;
      if (query.result.subsetOfUnlimited) {
        assert.equal(got.body.traces.length, query.result.traceCount);
        return;
      }
      assert.deepEqual(shape(got.body.traces), shape(query.result.traces));
    });
  }
});

const close = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));

const labelsOf = (labels: Json[]) =>
  JSON.stringify([...(labels ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1)));

describe('TraceQL metrics over HTTP give the oracle’s series', () => {
  const window = {
    start: String(baseS + oracle.window.metricsStartOffsetS),
    end: String(baseS + oracle.window.metricsEndOffsetS),
  };
  for (const query of oracle.queries.filter((q) => q.api === 'metrics')) {
    test(`range ${query.id}: ${query.q}`, async () => {
      const p = new URLSearchParams({
        q: query.q,
        ...window,
        step: query.params.step ?? oracle.window.defaults.step,
      });
      const got = await getJson(`${store.urls.tempo}/api/metrics/query_range?${p}`);
      const expected = query.result.range;
      assert.equal(got.status, expected.status, typeof got.body === 'string' ? got.body : '');
      if (expected.status !== 200) return;
      const offsets: number[] = expected.bucketOffsetsMs;
      const ours = (got.body.series ?? []).map((s: Json) => {
        const byTs = new Map<number, number>();
        for (const sample of s.samples ?? [])
          byTs.set(Number(sample.timestampMs) - baseS * 1000, sample.value ?? 0);
        return { labels: labelsOf(s.labels), values: offsets.map((o) => byTs.get(o) ?? null) };
      });
      const theirs = expected.series.map((s: Json) => ({ labels: labelsOf(s.labels), values: s.values }));
      const sort = (xs: { labels: string }[]) => xs.sort((a, b) => (a.labels < b.labels ? -1 : 1));
      sort(ours);
      sort(theirs);
      assert.deepEqual(
        ours.map((s: Json) => s.labels),
        theirs.map((s: Json) => s.labels),
      );
      for (const [i, s] of ours.entries()) {
        assert.ok(
          s.values.every((v: number | null, j: number) => close(v, theirs[i].values[j])),
          `${s.labels}: ${JSON.stringify(s.values)} ≠ ${JSON.stringify(theirs[i].values)}`,
        );
      }
    });

    test(`instant ${query.id}: ${query.q}`, async () => {
      const p = new URLSearchParams({ q: query.q, ...window });
      const got = await getJson(`${store.urls.tempo}/api/metrics/query?${p}`);
      const expected = query.result.instant;
      assert.equal(got.status, expected.status, typeof got.body === 'string' ? got.body : '');
      if (expected.status !== 200) return;
      const ours = (got.body.series ?? [])
        .map((s: Json) => ({ labels: labelsOf(s.labels), value: s.value ?? 0 }))
        .sort((a: Json, b: Json) => (a.labels < b.labels ? -1 : 1));
      const theirs = expected.series
        .map((s: Json) => ({ labels: labelsOf(s.labels), value: s.value }))
        .sort((a: Json, b: Json) => (a.labels < b.labels ? -1 : 1));
      assert.deepEqual(
        ours.map((s: Json) => s.labels),
        theirs.map((s: Json) => s.labels),
      );
      for (const [i, s] of ours.entries())
        assert.ok(close(s.value, theirs[i].value), `${s.labels}: ${s.value}`);
    });
  }
});
