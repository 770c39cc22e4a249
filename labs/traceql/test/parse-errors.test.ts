// Bad queries of every kind: each is refused with Tempo's class of error (400), a position where
// Tempo gives one, and a reason a learner can act on — and nothing throws out of the engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, parseTraceQL, search } from '@dojo/traceql';

const cases: { q: string; kind: string; line?: number; column?: number; says: RegExp }[] = [
  { q: '{ name = "x"', kind: 'parse', line: 1, column: 13, says: /end of the query.*`}`/ },
  { q: '{ foo.bar = 1 }', kind: 'parse', line: 1, column: 3, says: /unknown identifier: foo.*scope/ },
  { q: '{ span:foo = 1 }', kind: 'parse', line: 1, column: 8, says: /span:duration/ },
  { q: "{ name = 'x' }", kind: 'parse', line: 1, column: 10, says: /double quotes/ },
  { q: '{ duration = "1s" }', kind: 'type', says: /duration takes a duration like 500ms/ },
  { q: '{ status = "error" }', kind: 'type', says: /status takes a status/ },
  { q: '{ kind =~ "ser.*" }', kind: 'type', says: /same type/ },
  { q: '{ name = nil }', kind: 'type', says: /intrinsics cannot be nil/ },
  { q: '{ name =~ "(" }', kind: 'regex', says: /invalid regex/ },
  { q: '{ } | count()', kind: 'parse', says: /needs a comparison/ },
  { q: '{ parent.span.http.route = "/checkout" }', kind: 'unsupported', says: /parent not yet supported/ },
  { q: '{ } >>', kind: 'parse', line: 1, column: 7, says: /end of the query/ },
  { q: '{ 1 }', kind: 'type', says: /must resolve to a boolean/ },
  { q: '', kind: 'parse', line: 1, column: 1, says: /empty/ },
  { q: '{ } | quantile_over_time(duration)', kind: 'parse', says: /quantiles/ },
  { q: '{ .a = 1 &&\n  }', kind: 'parse', line: 2, column: 3, says: /unexpected `}`/ },
];

for (const c of cases) {
  test(`refused: ${JSON.stringify(c.q)} (${c.kind})`, () => {
    const r = parseTraceQL(c.q);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.kind, c.kind);
    assert.equal(r.error.status, 400);
    if (c.line !== undefined) assert.deepEqual([r.error.line, r.error.column], [c.line, c.column]);
    assert.match(describeError(r.error), c.says);
  });
}

test('500 && terms in one filter parse (a 9 KB query), and so do 300 nested parentheses', () => {
  const big = `{ ${Array.from({ length: 500 }, (_, i) => `span.a${i} = ${i}`).join(' && ')} }`;
  assert.equal(parseTraceQL(big).ok, true);
  const deep = `{ ${'('.repeat(300)}span.a = 1${')'.repeat(300)} }`;
  assert.equal(parseTraceQL(deep).ok, true);
});

test('spss over 100 is refused as Tempo refuses it', () => {
  const r = search('{ }', [], { spss: 101 });
  assert.equal(r.status, 400);
  assert.match(r.status === 400 ? r.error : '', /exceeds 100/);
});

test('random bytes never throw out of the engine: each is an answer or a 400', () => {
  const alphabet = '{}()[]"\'`.,:;=!~<>&|+-*/%^ \n\tabcxyz019_spanresource.nil duration kind status µ\\';
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < 3000; i++) {
    const len = 1 + Math.floor(rand() * 40);
    let q = '';
    for (let j = 0; j < len; j++) q += alphabet[Math.floor(rand() * alphabet.length)];
    const r = search(q, [], {});
    assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(q)} gave ${r.status}`);
  }
});
