import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readIdMap, readRca } from '../src/answers.ts';
import { GradingError } from '../src/grade-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'dojo-answers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

function rejects(fn: () => unknown, expected: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof GradingError, `expected a GradingError, got ${e}`);
    assert.match(e.message, expected);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

test('traceql.yaml answers are read with the line each one is on', () => {
  write(
    'traceql.yaml',
    '# my answers\nq-errors: "{ status = error }"\nq-slow-db: >-\n  { span.db.system = "postgresql" && duration > 500ms }\n',
  );
  const map = readIdMap(dir, 'traceql.yaml', 'a TraceQL query');
  assert.equal(map.get('q-errors')?.value, '{ status = error }');
  assert.equal(map.get('q-errors')?.line, 2);
  assert.equal(map.get('q-slow-db')?.value, '{ span.db.system = "postgresql" && duration > 500ms }');
});

test('a malformed answers file names the file, the line and what is wrong', () => {
  write('traceql.yaml', 'q-errors: "{ status = error }"\nq-slow-db: "{ unclosed\n');
  rejects(() => readIdMap(dir, 'traceql.yaml', 'a TraceQL query'), /traceql\.yaml line \d+, column \d+/);
  write('traceql.yaml', 'q-errors: "{ status = error }"\nq-slow-db:\n');
  rejects(
    () => readIdMap(dir, 'traceql.yaml', 'a TraceQL query'),
    /traceql\.yaml line 2: expected a TraceQL query for q-slow-db/,
  );
  write('traceql.yaml', '- just\n- a list\n');
  rejects(
    () => readIdMap(dir, 'traceql.yaml', 'a TraceQL query'),
    /expected lines of "question-id: a TraceQL query"/,
  );
  write('traceql.yaml', 'q-errors: a\nq-errors: b\n');
  rejects(() => readIdMap(dir, 'traceql.yaml', 'a TraceQL query'), /line 2/);
});

test('a missing answers file says where to write it', () => {
  rejects(() => readIdMap(dir, 'quiz.yaml', 'a choice id'), /quiz\.yaml not found/);
});

test('rca.md front matter and prose are read; evidence ids are normalised', () => {
  write(
    'rca.md',
    '---\nscenario: slow-query\nservice: api\nspan: pg.query:SELECT shop\ncause: missing-index\nevidence:\n  - 0AF7651916CD43DD8448EB211C80319C\n---\nSearch parses every review.\n',
  );
  const r = readRca(dir);
  assert.equal(r.cause, 'missing-index');
  assert.deepEqual(r.evidence, ['0af7651916cd43dd8448eb211c80319c']);
  assert.equal(r.prose, 'Search parses every review.');
});

test('an rca.md without front matter, a field or evidence is refused in one line', () => {
  write('rca.md', 'The database was slow.\n');
  rejects(() => readRca(dir), /front matter between two "---" lines/);
  write('rca.md', '---\nscenario: slow-query\nservice: api\nspan: x\nevidence: [abc]\n---\ntext\n');
  rejects(() => readRca(dir), /front matter needs "cause"/);
  write(
    'rca.md',
    '---\nscenario: slow-query\nservice: api\nspan: x\ncause: missing-index\nevidence: []\n---\ntext\n',
  );
  rejects(() => readRca(dir), /1 to 5 trace ids, found 0/);
  write('rca.md', '---\nscenario: [slow\n---\ntext\n');
  rejects(() => readRca(dir), /rca\.md line \d+/);
});
