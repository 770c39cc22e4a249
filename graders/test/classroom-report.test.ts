import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classroomPayload, classroomResult } from '../src/classroom-report.ts';
import type { Grade } from '../src/grade-model.ts';
import { render } from '../src/report-render.ts';

const grade: Grade = {
  lab: 'quiz',
  title: 'Module 6 quiz',
  checks: [
    { id: 'a', title: 'A', verdict: 'pass', points: 1, maxPoints: 1, expected: 'b', found: 'b' },
    { id: 'b', title: 'B', verdict: 'fail', points: 0, maxPoints: 1, expected: 'c', found: 'a', hint: 'why' },
  ],
};

test('GitHub Classroom result: one test per check, scores that the reporter totals against max_score', () => {
  const r = classroomResult([grade]);
  assert.equal(r.version, 1);
  assert.equal(r.status, 'fail');
  assert.equal(r.max_score, 2);
  assert.deepEqual(
    r.tests.map((t) => [t.name, t.status, t.score]),
    [
      ['Module 6 quiz: A', 'pass', 1],
      ['Module 6 quiz: B', 'fail', 0],
    ],
  );
  assert.match(r.tests[1]!.message!, /expected: c; found: a; hint: why/);
  // What the reporter does with a runner's output: base64 → JSON, sum of scores.
  const decoded = JSON.parse(Buffer.from(classroomPayload([grade]), 'base64').toString('utf8')) as typeof r;
  assert.equal(
    decoded.tests.reduce((n, t) => n + t.score, 0),
    1,
  );
  assert.deepEqual(JSON.parse(render([grade], 'classroom', false)), r);
});

test('a check that could not be graded is an error, not a silent zero', () => {
  const r = classroomResult([
    { ...grade, checks: [{ ...grade.checks[0]!, verdict: 'not-graded', points: 0 }] },
  ]);
  assert.equal(r.status, 'error');
  assert.equal(r.tests[0]!.status, 'error');
});
