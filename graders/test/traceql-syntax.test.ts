import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '@dojo/course';
import { checkTraceql, describeSyntaxError } from '../src/traceql-syntax.ts';

test('every reference query of the scenario catalog is valid TraceQL', () => {
  for (const s of loadCatalog().scenarios) assert.deepEqual(checkTraceql(s.reference), { ok: true }, s.id);
});

const invalid: [string, RegExp][] = [
  ['{ span.db.system = }', /line 1, column 20: unexpected `\}`, expected a value/],
  ['{ span.http.route = "/checkout }', /line 1, column 21: a string is not closed/],
  ['{ duration > 500ms', /end of the query, expected `\}`/],
  ['duration > 500ms', /starts with a span selector/],
  ['', /the query is empty/],
  ['{ status = error }\n| count() >', /line 2/],
  ['{ duration > "500ms" }', /duration takes a duration like 500ms/],
  ['{ status = "error" }', /status takes a status: error, ok or unset/],
];

for (const [query, expected] of invalid) {
  test(`invalid TraceQL is explained: ${JSON.stringify(query)}`, () => {
    const check = checkTraceql(query);
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(describeSyntaxError(check), expected);
  });
}

test('structural, aggregate and select queries are accepted', () => {
  for (const q of [
    '{ resource.service.name = "web" } >> { span.db.system = "postgresql" }',
    '{ span.db.system = "postgresql" } | count() > 20',
    '{ status = error } | select(span.http.route, resource.service.name)',
    '{ kind = client && span.peer.service = "payments" } | avg(duration) > 1s',
  ]) {
    assert.deepEqual(checkTraceql(q), { ok: true }, q);
  }
});
