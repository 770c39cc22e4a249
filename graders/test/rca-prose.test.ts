// The root-cause report's written explanation, judged against real captured evidence: it must name the
// span or service, cite a number the evidence measured, and propose a fix for the cause; filler fails
// with a hint, and the check says a teacher reads the prose too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { RcaReport } from '../src/answers.ts';
import { explanationCheck } from '../src/rca-prose.ts';
import { parseTempoTrace } from '../src/trace-model.ts';

const captured = (file: string) =>
  parseTempoTrace(
    JSON.parse(readFileSync(new URL(`../../site/src/data/traces/${file}`, import.meta.url), 'utf8')),
  );
const slow = captured('slow-query-search.json');
const chatty = captured('n-plus-one-product.json');
const report = (prose: string, over: Partial<RcaReport> = {}): RcaReport => ({
  scenario: 'slow-query',
  service: 'api',
  span: 'pg.query:SELECT shop',
  cause: 'missing-index',
  evidence: [slow.traceId],
  path: 'rca.md',
  prose,
  ...over,
});
const slowMs = Math.round(
  Math.max(...slow.spans.filter((s) => s.name === 'pg.query:SELECT shop').map((s) => s.durationMs)),
);

test('filler fails, with what it lacks and a hint', () => {
  const c = explanationCheck(report('This is the cause, it was slow, fix it.'), [slow]);
  assert.equal(c.verdict, 'fail');
  assert.match(
    c.found,
    /lacks the span \(pg\.query:SELECT shop\) or the service \(api\).*a duration or a count.*a fix/,
  );
  assert.ok(c.hint);
  assert.match(c.expected, /a teacher also reads it/);
});

test('an explanation that names the span, cites its measured duration and proposes a fix passes', () => {
  const prose = `Review search is slow: in the evidence the api span pg.query:SELECT shop took ${slowMs} ms because the full-text index is gone. Recreate the GIN index on product_reviews.body.`;
  const c = explanationCheck(report(prose), [slow]);
  assert.equal(c.verdict, 'pass', c.found);
  assert.equal(c.points, 2);
});

test('a duration the evidence did not measure does not count; nor does the question’s threshold', () => {
  for (const made of ['took 5 s', 'took over 500 ms', 'took 300 ms']) {
    const c = explanationCheck(report(`The api query ${made}. Recreate the missing index.`), [slow]);
    assert.equal(c.verdict, 'fail', made);
    assert.match(c.found, /a duration or a count/);
  }
  const roughly = explanationCheck(report('The api query took about 0.9 s. Recreate the missing index.'), [
    slow,
  ]);
  assert.equal(roughly.verdict, 'pass', `${slowMs} ms vs 0.9 s: ${roughly.found}`);
});

test('a fix must fit the cause: "add a timeout" is no fix for a missing index', () => {
  const c = explanationCheck(report(`The api query took ${slowMs} ms. We should add a timeout to it.`), [
    slow,
  ]);
  assert.equal(c.verdict, 'fail');
  assert.match(c.found, /a fix for this cause/);
});

test('a count from the evidence counts: the N+1 query ran 24 times under one parent', () => {
  const perParent = new Map<string, number>();
  for (const s of chatty.spans.filter((x) => x.name === 'pg.query:SELECT shop'))
    perParent.set(s.parentSpanId, (perParent.get(s.parentSpanId) ?? 0) + 1);
  const n = Math.max(...perParent.values());
  const prose = `api runs pg.query:SELECT shop ${n} times for one recommendations request. Load them with one query using WHERE id = ANY($1).`;
  const c = explanationCheck(report(prose, { cause: 'n-plus-one-query', evidence: [chatty.traceId] }), [
    chatty,
  ]);
  assert.equal(c.verdict, 'pass', c.found);
  const wrongCount = explanationCheck(
    report(prose.replace(String(n), String(n + 7)), {
      cause: 'n-plus-one-query',
      evidence: [chatty.traceId],
    }),
    [chatty],
  );
  assert.equal(wrongCount.verdict, 'fail');
});

test('no prose, or no readable evidence, fails', () => {
  assert.match(explanationCheck(report(''), [slow]).found, /no prose/);
  const c = explanationCheck(report(`api's pg.query:SELECT shop took ${slowMs} ms; recreate the index.`), []);
  assert.equal(c.verdict, 'fail');
});
