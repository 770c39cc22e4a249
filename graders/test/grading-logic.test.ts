import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCatalog } from '@dojo/course';
import { exitCodeOf, type Grade, GradingError } from '../src/grade-model.ts';
import { loadQuestionBank, loadQuiz } from '../src/question-bank.ts';
import { gradeQuiz } from '../src/quiz-grader.ts';
import { compareMatches } from '../src/set-compare.ts';

const s = (...xs: string[]) => new Set(xs);
const dir = mkdtempSync(join(tmpdir(), 'dojo-quiz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('equal sets pass; a superset is too broad and a subset too narrow, with the numbers', () => {
  assert.equal(compareMatches('traces', s('a', 'b'), s('b', 'a')).verdict, 'pass');
  const broad = compareMatches('traces', s('a', 'b'), s('a', 'b', 'c', 'd'));
  assert.equal(broad.verdict, 'fail');
  assert.equal(broad.found, 'matched 4 traces, expected 2; 2 of them were right');
  assert.match(broad.hint!, /too broad: 2 extra traces/);
  const narrow = compareMatches('spans', s('a', 'b', 'c'), s('a'));
  assert.match(narrow.found, /matched 1 spans, expected 3; 1 of them was right/);
  assert.match(narrow.hint!, /too narrow/);
  assert.match(compareMatches('traces', s('a'), s('x')).hint!, /different things/);
});

test('two empty sets are never a pass: the question cannot be judged now', () => {
  assert.equal(compareMatches('traces', s(), s()).verdict, 'not-graded');
  assert.equal(compareMatches('traces', s(), s('a')).verdict, 'not-graded');
});

test('the question bank has at least 10 questions covering the lab, each valid and tied to a scenario', () => {
  const bank = loadQuestionBank();
  assert.ok(bank.length >= 10);
  const scenarios = new Set(loadCatalog().scenarios.map((x) => x.id));
  for (const q of bank) assert.ok(scenarios.has(q.scenario), q.id);
  const refs = bank.map((q) => q.reference).join('\n');
  for (const needle of [
    '>>',
    'count()',
    'select(',
    'status = error',
    'kind = client',
    'trace:root',
    'duration >',
  ]) {
    assert.ok(refs.includes(needle), `no question uses ${needle}`);
  }
  assert.ok(
    bank.some((q) => q.expectEmpty),
    'no negative question',
  );
});

test('the quiz has 10 questions whose answers are among their choices', () => {
  const quiz = loadQuiz();
  assert.equal(quiz.length, 10);
  assert.equal(new Set(quiz.map((q) => q.id)).size, 10);
});

test('the quiz grader scores a known answer sheet and explains each miss', () => {
  const quiz = loadQuiz();
  const sheet = quiz.map((q, i) => `${q.id}: ${i < 7 ? q.answer : 'z'}`).join('\n');
  writeFileSync(join(dir, 'quiz.yaml'), sheet);
  const grade = gradeQuiz(dir);
  assert.equal(grade.checks.filter((c) => c.verdict === 'pass').length, 7);
  const miss = grade.checks.find((c) => c.verdict === 'fail')!;
  assert.match(miss.found, /"z" is not one of the choices/);
  assert.equal(miss.hint, quiz[7]!.explanation);
  assert.equal(exitCodeOf([grade]), 1);
});

test('an unknown quiz question id stops grading with exit 2', () => {
  writeFileSync(join(dir, 'quiz.yaml'), 'quiz-span: b\nquiz-bogus: a\n');
  assert.throws(
    () => gradeQuiz(dir),
    (e: unknown) => e instanceof GradingError && /line 2: unknown question id "quiz-bogus"/.test(e.message),
  );
});

test('exit codes: 0 all passed, 1 a failure, 2 only ungradable checks', () => {
  const grade = (...verdicts: ('pass' | 'fail' | 'not-graded')[]): Grade => ({
    lab: 'x',
    title: 'x',
    checks: verdicts.map((v, i) => ({
      id: `c${i}`,
      title: 't',
      verdict: v,
      points: 0,
      maxPoints: 1,
      expected: '',
      found: '',
    })),
  });
  assert.equal(exitCodeOf([grade('pass', 'pass')]), 0);
  assert.equal(exitCodeOf([grade('pass', 'fail', 'not-graded')]), 1);
  assert.equal(exitCodeOf([grade('pass', 'not-graded')]), 2);
});
