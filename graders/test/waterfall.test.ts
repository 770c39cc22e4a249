import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseTempoTrace } from '../src/trace-model.ts';
import { barCells, formatDuration, renderWaterfall } from '../src/waterfall.ts';

const view = parseTempoTrace(
  JSON.parse(readFileSync(new URL('./fixtures/checkout-trace.json', import.meta.url), 'utf8')),
);

test('the waterfall has a header, an axis and one row per span, within the width asked', () => {
  const lines = renderWaterfall(view, { width: 100 }).split('\n');
  assert.match(
    lines[0]!,
    /^Trace 0af7651916cd43dd8448eb211c80319c · 6 spans · 2 services · 412 ms · 3 errors · 1 orphan$/,
  );
  assert.match(lines[1]!, /^service\s+span\s+0\s+206 ms\s+412 ms$/);
  const rows = lines.slice(2, 8);
  assert.equal(rows.length, 6);
  for (const row of lines) assert.ok(row.length <= 100, `line too wide (${row.length}): ${row}`);
});

test('errors are marked and orphans are flagged with an explanation', () => {
  const text = renderWaterfall(view, { width: 100 });
  const paymentsRow = text.split('\n').find((l) => l.includes('└ POST') && l.includes('380 ms'))!;
  assert.ok(paymentsRow.endsWith('✖'), paymentsRow);
  assert.match(text, /\? order\.confirm/);
  assert.match(text, /context was lost/);
});

test('bars sit on a shared time axis: a child never starts before its parent', () => {
  const byName = (n: string) => view.spans.find((s) => s.name === n)!;
  const root = barCells(byName('POST /checkout'), view, 50);
  const db = barCells(byName('pg.query:SELECT shop'), view, 50);
  assert.deepEqual(root, { offset: 0, length: 50 });
  assert.ok(db.offset >= root.offset && db.length === 1);
});

test('colour is off unless asked, and durations read naturally', () => {
  assert.doesNotMatch(renderWaterfall(view), /\u001b\[/);
  assert.match(renderWaterfall(view, { colour: true }), /\u001b\[31m/);
  assert.deepEqual(
    [formatDuration(3.21), formatDuration(412.3), formatDuration(1530)],
    ['3.2 ms', '412 ms', '1.53 s'],
  );
});
