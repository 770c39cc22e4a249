import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grade } from '../src/grade-model.ts';
import { render } from '../src/report-render.ts';

const grade: Grade = {
  lab: 'traceql',
  title: 'Lab 2 — TraceQL',
  checks: [
    {
      id: 'q-errors',
      title: 'Traces with errors',
      verdict: 'pass',
      points: 10,
      maxPoints: 10,
      expected: 'e',
      found: 'f',
    },
    {
      id: 'q-slow-db',
      title: 'Slow <database> calls & "more"',
      verdict: 'fail',
      points: 0,
      maxPoints: 10,
      expected: 'PostgreSQL spans over 500 ms',
      found: 'matched 412 traces, expected 37; 37 of them were right',
      lookedAt: '{ }',
      hint: 'too broad',
    },
    {
      id: 'q-x',
      title: 'Not now',
      verdict: 'not-graded',
      points: 0,
      maxPoints: 10,
      expected: 'e',
      found: 'no traffic',
    },
  ],
};

test('text report: score bar, a mark per check, and for misses what was expected, found, looked at and a hint', () => {
  const text = render([grade], 'text', false);
  assert.match(text, /^Lab 2 — TraceQL {2}████████░{16} {2}10\/30 points$/m);
  assert.match(text, /✔ Traces with errors \(10\/10\)/);
  assert.match(
    text,
    /✖ Slow <database> calls & "more" \(0\/10\)\n {6}expected: PostgreSQL spans over 500 ms\n {6}found: {4}matched 412 traces/,
  );
  assert.match(text, /looked at: \{ \}\n {6}hint: too broad/);
  assert.match(text, /\? Not now/);
});

test('JUnit: one testcase per check, failures and skips marked, XML escaped', () => {
  const xml = render([grade], 'junit', false);
  assert.match(xml, /<testsuite name="Lab 2 — TraceQL" tests="3" failures="1" skipped="1">/);
  assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
  assert.match(xml, /name="q-slow-db: Slow &lt;database&gt; calls &amp; &quot;more&quot;"/);
  assert.match(xml, /<failure message="matched 412 traces/);
  assert.match(xml, /<skipped message="no traffic"\/>/);
  assert.doesNotMatch(xml.replace(/&(lt|gt|amp|quot|apos);/g, ''), /&/);
});

test('Gradescope results.json: score, max_score and tests with name, score, max_score, status, output', () => {
  const doc = JSON.parse(render([grade], 'gradescope', false)) as {
    score: number;
    max_score: number;
    tests: { name: string; score: number; max_score: number; status: string; output: string }[];
  };
  assert.equal(doc.score, 10);
  assert.equal(doc.max_score, 30);
  assert.equal(doc.tests.length, 3);
  assert.deepEqual(Object.keys(doc.tests[1]!).sort(), ['max_score', 'name', 'output', 'score', 'status']);
  assert.equal(doc.tests[1]!.status, 'failed');
  assert.match(doc.tests[1]!.output, /hint: too broad/);
});

test('JSON report carries every check and the totals', () => {
  const doc = JSON.parse(render([grade], 'json', false)) as {
    grades: { score: number; maxScore: number; checks: unknown[] }[];
  };
  assert.equal(doc.grades[0]!.score, 10);
  assert.equal(doc.grades[0]!.maxScore, 30);
  assert.equal(doc.grades[0]!.checks.length, 3);
});
