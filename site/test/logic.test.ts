import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quizAnswersFile } from '../src/lib/quiz-answers.ts';
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

test('the quiz page writes answers/quiz.yaml: one line per answer, unanswered questions as comments', () => {
  assert.equal(
    quizAnswersFile(['quiz-a', 'quiz-b', 'quiz-c'], { 'quiz-a': 'b', 'quiz-c': 'd' }),
    '# answers/quiz.yaml — grade with: npx dojo grade quiz\nquiz-a: b\n# quiz-b: (not answered)\nquiz-c: d\n',
  );
});
