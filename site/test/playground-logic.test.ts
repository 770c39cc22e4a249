// The playground's parts that need no browser: how a recording is moved in time, how the editor cuts a
// query into colours and marks an error, and how a practice answer is judged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadDataset, shiftFor } from '../src/lib/playground/dataset.ts';
import { highlight } from '../src/lib/playground/highlight.ts';
import { checkPractice, type PracticeQuestion } from '../src/lib/playground/practice.ts';

const body = JSON.parse(
  readFileSync(new URL('../src/data/datasets/error-cascade.json', import.meta.url), 'utf8'),
);
const MINUTE = 60_000_000_000n;

describe('a recording moved to now', () => {
  test('by whole minutes, ending within the minute before now, ids and durations kept', () => {
    const now = 1_900_000_000_123_456_789n;
    const shift = shiftFor(body, now);
    assert.equal(shift % MINUTE, 0n);
    const data = loadDataset(body, now);
    assert.ok(data.endNs <= now && data.endNs > now - MINUTE, `${now - data.endNs} ns before now`);
    const original = loadDataset(body, data.endNs - shift);
    assert.equal(data.traces.length, original.traces.length);
    const first = data.traces[0]!.spans[0]!;
    const same = original.traces[0]!.spans.find((s) => s.spanId === first.spanId)!;
    assert.equal(first.startNs - same.startNs, shift);
    assert.equal(first.durationNs, same.durationNs);
    assert.ok(data.startNs < data.endNs);
  });
});

describe('the editor colours', () => {
  const cut = (q: string, error?: { line: number; column: number }) =>
    highlight(q, error).map((s) => [s.cls + (s.error ? '!' : ''), q.slice(s.from, s.to)]);

  test('cover the whole text, in order, and follow the lexer', () => {
    const q = '{ span.http.route = "/a b" && duration > 500ms } | count() > 2 // note';
    const segments = highlight(q);
    assert.equal(segments[0]!.from, 0);
    assert.equal(segments.at(-1)!.to, q.length);
    for (let i = 1; i < segments.length; i++) assert.equal(segments[i]!.from, segments[i - 1]!.to);
    const coloured = cut(q).filter(([cls]) => cls !== 'plain');
    assert.deepEqual(coloured, [
      ['brace', '{'],
      ['attr', 'span.'],
      ['attr', 'http.route'],
      ['op', '='],
      ['string', '"/a b"'],
      ['op', '&&'],
      ['intrinsic', 'duration'],
      ['op', '>'],
      ['number', '500ms'],
      ['brace', '}'],
      ['op', '|'],
      ['fn', 'count'],
      ['op', '('],
      ['op', ')'],
      ['op', '>'],
      ['number', '2'],
    ]);
  });

  test('mark the token an error points at, the rest of the line, or the end', () => {
    assert.deepEqual(cut('{ status = }', { line: 1, column: 12 }).at(-1), ['brace!', '}']);
    assert.deepEqual(cut('{ name = "abc', { line: 1, column: 10 }).at(-1), ['plain!', '"abc']);
    assert.deepEqual(cut('{ kind = client', { line: 1, column: 16 }).at(-1), ['plain!', '']);
    // Columns count characters, as the engine does, not UTF-16 units.
    assert.deepEqual(cut('{ name = "🙂" && }', { line: 1, column: 17 }).at(-1), ['brace!', '}']);
    assert.deepEqual(cut('{ kind = client &&\n  name = }', { line: 2, column: 10 }).at(-1), ['brace!', '}']);
  });
});

describe('a practice answer', () => {
  const q = (
    parse(readFileSync(new URL('../../graders/data/traceql-practice.yaml', import.meta.url), 'utf8')) as {
      questions: PracticeQuestion[];
    }
  ).questions.find((x) => x.id === 'p-vendor-5xx')!;
  const data = loadDataset(body);

  test('passes with the reference, fails with the numbers and both hints, and refuses bad TraceQL', () => {
    assert.equal(checkPractice(q, q.reference, data).verdict, 'pass');
    const broad = checkPractice(q, '{ span.peer.service = "payments" }', data);
    assert.equal(broad.verdict, 'fail');
    assert.match(broad.found, /^matched \d+ spans, expected \d+; \d+ of them were right$/);
    assert.ok(
      'hint' in broad && broad.hint?.startsWith('too broad: ') && broad.hint.endsWith(q.hint),
      JSON.stringify(broad),
    );
    const narrow = checkPractice(
      q,
      '{ span.peer.service = "payments" && span.http.response.status_code = 503 && duration > 1h }',
      data,
    );
    assert.equal(narrow.verdict, 'fail');
    const bad = checkPractice(q, '{ span.peer.service = }', data);
    assert.equal(bad.verdict, 'invalid');
    assert.match(bad.found, /^invalid TraceQL query: /);
  });
});
