import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { idToHex, normalizeTraceId, parseTempoTrace, treeOrder } from '../src/trace-model.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/checkout-trace.json', import.meta.url), 'utf8'));
const view = parseTempoTrace(fixture);

test('Tempo base64 ids become the hex ids a learner sees in traceparent', () => {
  assert.equal(view.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(idToHex('AAAAAAAAAAE=', 8), '0000000000000001');
  assert.equal(idToHex('00f067aa0ba902b7', 8), '00f067aa0ba902b7');
  assert.equal(idToHex('', 8), '');
  assert.equal(normalizeTraceId('af7651916cd43dd8448eb211c80319c'), '0af7651916cd43dd8448eb211c80319c');
});

test('kinds, statuses, services, durations and events are read from the protobuf-JSON shape', () => {
  const server = view.spans.find((s) => s.name === 'POST /api/checkout')!;
  assert.equal(server.kind, 'server');
  assert.equal(server.status, 'error');
  assert.equal(server.service, 'api');
  assert.equal(server.attributes['app.customer.id'], 42);
  assert.equal(server.events[0]?.name, 'exception');
  assert.equal(Math.round(view.durationMs * 10) / 10, 412.3);
  assert.equal(Math.round(view.spans.find((s) => s.name === 'pg.query:SELECT shop')!.durationMs * 10), 32);
});

test('a span whose parent is missing is an orphan; the entry span is the root', () => {
  assert.deepEqual(
    view.roots.map((s) => s.name),
    ['POST /checkout'],
  );
  assert.deepEqual(
    view.orphans.map((s) => s.name),
    ['order.confirm'],
  );
});

test('tree order walks parents before children, siblings by start time', () => {
  const order = treeOrder(view).map(({ span, depth }) => `${depth}:${span.name}`);
  assert.deepEqual(order, [
    '0:POST /checkout',
    '1:POST',
    '2:POST /api/checkout',
    '3:pg.query:SELECT shop',
    '3:POST',
    '0:order.confirm',
  ]);
});

test('an empty or missing trace body yields no spans rather than a crash', () => {
  assert.equal(parseTempoTrace({}).spans.length, 0);
  assert.equal(parseTempoTrace({ trace: { resourceSpans: [] } }).spans.length, 0);
});
