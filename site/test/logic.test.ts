import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreQuiz } from '../src/lib/quiz-score.ts';
import { decodeTraceparent } from '../src/lib/traceparent.ts';

test('a valid traceparent is split into its four fields, with the sampled flag read', () => {
  const d = decodeTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  assert.ok(d.ok);
  if (d.ok) {
    assert.equal(d.parts.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(d.parts.parentId, '00f067aa0ba902b7');
    assert.equal(d.parts.sampled, true);
  }
  const unsampled = decodeTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
  assert.ok(unsampled.ok && !unsampled.parts.sampled);
});

for (const [header, reason] of [
  ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', /4 fields/],
  ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', /lower-case/],
  ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', /all-zero trace id/],
  ['00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', /32 hex digits/],
  ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', /ff is forbidden/],
  ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', /all-zero parent id/],
  ['', /Paste/],
] as const) {
  test(`an invalid traceparent is rejected with the reason: ${header || '(empty)'}`, () => {
    const d = decodeTraceparent(header);
    assert.equal(d.ok, false);
    if (!d.ok) assert.match(d.error, reason);
  });
}

test('the quiz score counts only exact answers', () => {
  const r = scoreQuiz(
    [
      { id: 'a', answer: 'b' },
      { id: 'c', answer: 'd' },
      { id: 'e', answer: 'a' },
    ],
    { a: 'b', c: 'a' },
  );
  assert.equal(r.score, 1);
  assert.equal(r.total, 3);
  assert.deepEqual(
    r.results.map((x) => x.correct),
    [true, false, false],
  );
});
