// `dojo query --limit N` asks Tempo for the newest N: the hint is added once, after the whole query, and
// never when the learner wrote a hint of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withMostRecent } from '../src/tempo-client.ts';
import { checkTraceql } from '../src/traceql-syntax.ts';

test('the most-recent hint follows the whole query, pipelines included, and stays valid TraceQL', () => {
  const cases: [string, string][] = [
    ['{ }', '{ } with (most_recent=true)'],
    ['{ status = error } ', '{ status = error } with (most_recent=true)'],
    [
      '{ span.db.system = "postgresql" } | count() > 20',
      '{ span.db.system = "postgresql" } | count() > 20 with (most_recent=true)',
    ],
  ];
  for (const [q, expected] of cases) {
    assert.equal(withMostRecent(q), expected);
    assert.deepEqual(checkTraceql(expected), { ok: true }, expected);
  }
});

test("a query's own hint is kept as written; 'with (' inside a string is not a hint", () => {
  assert.equal(withMostRecent('{ } with (most_recent=false)'), '{ } with (most_recent=false)');
  assert.equal(withMostRecent('{ name = "with (x)" }'), '{ name = "with (x)" } with (most_recent=true)');
});
