// Workspaces import one another by package name and never upward (layers: support/import-boundaries.ts).
import assert from 'node:assert/strict';
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

test('no workspace file crosses a boundary', () => {
  const lines = scanRepo().map((v) => `${v.file}: '${v.specifier}' ${v.why}`);
  assert.deepEqual(lines, []);
});
