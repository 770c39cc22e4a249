// The part of Grafana's server-side expressions the alert and dashboard graders evaluate: reduce modes,
// math with Grafana's label matching and NaN rules, thresholds, and what is refused with a reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ExpressionModel,
  evaluateSteps,
  expressionInputs,
  type Step,
} from '../src/grafana-expressions.ts';
import type { Results } from '../src/grafana-math.ts';

const series = (labels: Record<string, string>, values: (number | null)[]): Results[number] => ({
  kind: 'series',
  labels,
  points: values.map((v, i) => ({ t: 1000 * (i + 1), v })),
});
const query = (refId: string, results: Results): Step => ({ refId, kind: 'query', run: async () => results });
const expr = (refId: string, model: ExpressionModel): Step => ({ refId, kind: 'expression', model });
const numbers = (r: Results | undefined) =>
  (r ?? []).map((v) => (v.kind === 'number' ? [v.labels, v.value] : v.kind));

test('reduce: last, mean and max per series; strict mode turns a NaN into NaN, dropNN leaves it out', async () => {
  const a = [series({ route: '/a' }, [1, 2, 6]), series({ route: '/b' }, [1, Number.NaN, 3])];
  const out = await evaluateSteps([
    query('A', a),
    expr('L', { type: 'reduce', expression: 'A', reducer: 'last' }),
    expr('M', { type: 'reduce', expression: 'A', reducer: 'mean' }),
    expr('D', { type: 'reduce', expression: 'A', reducer: 'max', settings: { mode: 'dropNN' } }),
    expr('R', {
      type: 'reduce',
      expression: 'A',
      reducer: 'sum',
      settings: { mode: 'replaceNN', replaceWithValue: 10 },
    }),
  ]);
  assert.deepEqual(numbers(out.get('L')), [
    [{ route: '/a' }, 6],
    [{ route: '/b' }, 3],
  ]);
  assert.deepEqual(numbers(out.get('M')), [
    [{ route: '/a' }, 3],
    [{ route: '/b' }, Number.NaN],
  ]);
  assert.deepEqual(numbers(out.get('D')), [
    [{ route: '/a' }, 6],
    [{ route: '/b' }, 3],
  ]);
  assert.deepEqual(numbers(out.get('R')), [
    [{ route: '/a' }, 9],
    [{ route: '/b' }, 14],
  ]);
});

test('math pairs series by labels (equal, or one a subset of the other) and points by time; 0/0 is NaN', async () => {
  const errors = [series({ service: 'api', route: '/api/checkout' }, [1, 0])];
  const all = [
    series({ service: 'api', route: '/api/checkout' }, [4, 0]),
    series({ service: 'api', route: '/api/search' }, [2, 2]),
  ];
  const out = await evaluateSteps([
    query('A', errors),
    query('B', all),
    expr('C', { type: 'math', expression: '$A / $B' }),
  ]);
  const c = out.get('C')!;
  assert.equal(c.length, 1, 'a series without a partner is dropped, as Grafana drops it');
  assert.deepEqual(c[0], {
    kind: 'series',
    labels: { service: 'api', route: '/api/checkout' },
    points: [
      { t: 1000, v: 0.25 },
      { t: 2000, v: Number.NaN },
    ],
  });
});

test('no data in an input stays no data through math, reduce and threshold', async () => {
  const out = await evaluateSteps([
    query('A', [{ kind: 'nodata' }]),
    query('B', [series({}, [2])]),
    expr('C', { type: 'math', expression: '$A / $B' }),
    expr('D', { type: 'reduce', expression: 'C', reducer: 'last' }),
    expr('E', {
      type: 'threshold',
      expression: 'D',
      conditions: [{ evaluator: { type: 'gt', params: [0.05] } }],
    }),
  ]);
  assert.deepEqual(numbers(out.get('E')), ['nodata']);
});

test('thresholds: gt, lt and ranges, each 1 or 0; a NaN input compares as NaN (Grafana then alerts)', async () => {
  const b: Results = [
    { kind: 'number', labels: { r: 'slow' }, value: 0.8 },
    { kind: 'number', labels: { r: 'fast' }, value: 0.1 },
    { kind: 'number', labels: { r: 'idle' }, value: Number.NaN },
  ];
  const cond = (type: string, params: number[]) =>
    expr('C', { type: 'threshold', expression: 'B', conditions: [{ evaluator: { type, params } }] });
  const run = async (type: string, params: number[]) =>
    numbers((await evaluateSteps([query('B', b), cond(type, params)])).get('C')).map(
      (x) => (x as unknown[])[1],
    );
  assert.deepEqual(await run('gt', [0.5]), [1, 0, Number.NaN]);
  assert.deepEqual(await run('lt', [0.5]), [0, 1, Number.NaN]);
  assert.deepEqual(await run('within_range', [0.05, 0.5]), [0, 1, Number.NaN]);
  // || short-circuits before the NaN rule, as Grafana's does: NaN <= 0.1 is NaN, which is "true".
  assert.deepEqual(await run('outside_range_included', [0.1, 0.8]), [1, 1, 1]);
});

test('operator precedence and functions follow Grafana math: $A + $B * 2 > 4 && abs(-1)', async () => {
  const one = (v: number): Results => [{ kind: 'number', labels: {}, value: v }];
  const out = await evaluateSteps([
    query('A', one(1)),
    query('B', one(2)),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's math writes a refId as ${B} too.
    expr('C', { type: 'math', expression: '$A + ${B} * 2 > 4 && abs(-1)' }),
  ]);
  assert.deepEqual(numbers(out.get('C')), [[{}, 1]]);
});

test('what the graders do not evaluate is refused with a reason, not guessed', () => {
  const problem = (m: ExpressionModel) => {
    const r = expressionInputs(m);
    return 'problem' in r ? r.problem : '';
  };
  assert.match(problem({ type: 'classic_conditions' }), /use reduce, then threshold/);
  assert.match(problem({ type: 'resample', expression: 'A' }), /not evaluated by the grader/);
  assert.match(problem({ type: 'reduce', expression: 'A', reducer: 'median' }), /not one of last, mean/);
  assert.match(
    problem({
      type: 'threshold',
      expression: 'B',
      conditions: [{ evaluator: { type: 'gt', params: [1] }, unloadEvaluator: {} }],
    }),
    /recovery threshold/,
  );
  assert.match(problem({ type: 'math', expression: '$A >' }), /ends too early/);
});
