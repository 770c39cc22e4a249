// Where the grader sends its designed traces, and how it places them: moved to end at a chosen moment,
// spacing kept, a fresh trace id each time, parents and span ids untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFixtures, placeFixtures } from '../src/fixture-files.ts';
import { otlpUrl } from '../src/grading-traffic.ts';

test("the OTLP endpoint: the lab's port, or OTEL_EXPORTER_OTLP_ENDPOINT, or TEMPO_URL's host in the lab's layout", () => {
  assert.equal(otlpUrl({}), 'http://localhost:4318');
  assert.equal(otlpUrl({ DOJO_PORT_OFFSET: '800' }), 'http://localhost:5118');
  assert.equal(otlpUrl({ TEMPO_URL: 'http://tempo.example:3200' }), 'http://tempo.example:4318');
  assert.equal(otlpUrl({ TEMPO_URL: 'http://127.0.0.1:23200/' }), 'http://127.0.0.1:24318');
  assert.equal(
    otlpUrl({ TEMPO_URL: 'http://tempo:3200', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }),
    'http://collector:4318',
  );
  // The lab's own Tempo is the lab's, whatever a learner's shell exports for their app.
  assert.equal(otlpUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://elsewhere:4318' }), 'http://localhost:4318');
});

test('placed fixtures end at the moment asked, keep their spacing, and get fresh trace ids', () => {
  const files = [loadFixtures('q-slow-db'), loadFixtures('q-n-plus-one')];
  const endMs = 1_800_000_000_000;
  const a = placeFixtures(files, endMs);
  const b = placeFixtures(files, endMs);
  const spans = (body: typeof a.body) =>
    body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const ends = spans(a.body).map((s) => BigInt(s.endTimeUnixNano));
  const last = BigInt(endMs) * 1_000_000n;
  assert.ok(ends.includes(last) && ends.every((e) => e <= last));
  const original = files.flatMap((f) => f.traces.flatMap((t) => spans(t.otlp)));
  assert.equal(spans(a.body).length, original.length);
  const shift = BigInt(spans(a.body)[0]!.startTimeUnixNano) - BigInt(original[0]!.startTimeUnixNano);
  for (const [i, s] of spans(a.body).entries()) {
    assert.equal(BigInt(s.startTimeUnixNano) - BigInt(original[i]!.startTimeUnixNano), shift);
    assert.equal(s.spanId, original[i]!.spanId);
    assert.equal(s.parentSpanId, original[i]!.parentSpanId);
  }
  assert.equal(
    a.traces.length,
    files.reduce((n, f) => n + f.traces.length, 0),
  );
  assert.equal(new Set(a.traces.map((t) => t.traceId)).size, a.traces.length);
  assert.ok(a.traces.every((t, i) => t.traceId !== b.traces[i]!.traceId && /^[0-9a-f]{32}$/.test(t.traceId)));
  assert.deepEqual(
    a.traces.map((t) => t.spans),
    files.flatMap((f) => f.traces.map((t) => spans(t.otlp).length)),
  );
});
