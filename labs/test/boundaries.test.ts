// Workspaces import one another by package name and never upward (layers: support/import-boundaries.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { checkFile, scanRepo, specifiersIn } from './support/import-boundaries.ts';

// Planted imports are built from parts so that this file itself does not hold them.
const q = "'";
const line = (names: string, specifier: string) => `import { ${names} } from ${q}${specifier}${q};`;

test('the checker flags a relative reach into another workspace and an upward import', () => {
  const planted = [
    line('parseTempoTrace', '../../../graders/src/trace-model.ts'),
    line('isolatedLab', '../../../labs/test/integration/lab-harness.ts'),
    line('findScenario', '@dojo/labs'),
    `const m = await import(${q}@dojo/graders${q});`,
  ].join('\n');
  const found = checkFile('sample-app/src/telemetry/x.ts', planted).map((v) => v.specifier);
  assert.deepEqual(found.sort(), [
    '../../../graders/src/trace-model.ts',
    '../../../labs/test/integration/lab-harness.ts',
    '@dojo/graders',
    '@dojo/labs',
  ]);
  // Relative imports inside the workspace and downward package imports are fine.
  assert.deepEqual(
    checkFile('graders/src/x.ts', `${line('a', './a.ts')}\n${line('t', '@dojo/traceql')}`),
    [],
  );
  // A test may drive the whole lab through a higher workspace's test kit; source may not.
  assert.deepEqual(checkFile('graders/test/x.test.ts', line('runDojo', '@dojo/labs/testing')), []);
  assert.equal(checkFile('graders/src/x.ts', line('runDojo', '@dojo/labs/testing')).length, 1);
  // A nested workspace is its own: labs/src reaching into labs/traceql/src by path is a crossing.
  assert.equal(checkFile('labs/src/x.ts', line('parse', '../traceql/src/parser.ts')).length, 1);
});

test('every form of import is seen', () => {
  const text = [
    `import type { A } from ${q}a${q};`,
    `import {\n  b,\n  c,\n} from ${q}b${q};`,
    `export * from ${q}c${q};`,
    `import ${q}d${q};`,
    `await import(${q}e${q});`,
    `import.meta.resolve(${q}f${q});`,
  ].join('\n');
  assert.deepEqual(specifiersIn(text).sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
});

// Crossings being removed by issue 12; each entry must still occur, so the list only shrinks.
const pending: string[] = [
  'sample-app/src/pipeline/changes.ts',
  'sample-app/src/pipeline/lab-deploys.ts',
  'sample-app/src/pipeline/settings.ts',
  'sample-app/src/settings.ts',
  'sample-app/src/telemetry/tracing.ts',
  'sample-app/test/pipeline-emitter.test.ts',
  'graders/src/answers.ts',
  'graders/src/grade-command.ts',
  'graders/src/instrumentation-checks.ts',
  'graders/src/instrumentation-grader.ts',
  'graders/src/question-bank.ts',
  'graders/src/rca-grader.ts',
  'graders/src/rca-reference.ts',
  'graders/test/fixture-designs/to-otlp.ts',
  'graders/test/grading-logic.test.ts',
  'graders/test/instrumentation-checks.test.ts',
  'graders/test/pipeline-questions.test.ts',
  'graders/test/rca-reference.test.ts',
  'graders/test/traceql-syntax.test.ts',
];

test('no workspace file crosses a boundary', () => {
  const lines = scanRepo().map((v) => `${v.file}: '${v.specifier}' ${v.why}`);
  const pendingFiles = new Set(pending);
  assert.deepEqual(
    lines.filter((l) => !pendingFiles.has(l.split(':')[0] as string)),
    [],
  );
  // A learner edition withholds some of these files; an absent file is not stale.
  const stale = pending.filter(
    (file) =>
      existsSync(resolve(import.meta.dirname, '../..', file)) && !lines.some((l) => l.startsWith(`${file}:`)),
  );
  assert.deepEqual(stale, [], 'these files no longer cross a boundary: take them off the pending list');
});
