// Lab 1's checks on real traces captured from the lab (site/src/data/traces): the shipped app passes
// every check but the custom span the learner adds; broken traces fail the checks they should.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCatalog } from '@dojo/course';
import {
  checksTheScenarioPrevents,
  instrumentationChecks,
  lab1,
  withoutPrevented,
} from '../src/instrumentation-checks.ts';
import { parseTempoTrace, type TraceView } from '../src/trace-model.ts';

const captured = (name: string) =>
  parseTempoTrace(
    JSON.parse(readFileSync(new URL(`../../site/src/data/traces/${name}.json`, import.meta.url), 'utf8')),
  );
const verdicts = (checks: ReturnType<typeof instrumentationChecks>) =>
  Object.fromEntries(checks.map((c) => [c.id, c.verdict]));
const logFor = (view: TraceView) => `{"level":"info","msg":"request","trace_id":"${view.traceId}"}\n`;

test('the lab as shipped passes every check except the custom span a learner must add', () => {
  const checkout = captured('healthy-checkout');
  const failure = captured('error-cascade-checkout');
  const v = verdicts(instrumentationChecks({ checkout, failure, logs: logFor(checkout) }));
  assert.deepEqual(v, {
    'resource-web': 'pass',
    'resource-api': 'pass',
    'server-spans': 'pass',
    'client-spans': 'pass',
    'db-spans': 'pass',
    'connected-trace': 'pass',
    'custom-span': 'fail',
    'error-recorded': 'pass',
    'log-correlation': 'pass',
  });
});

test('adding the custom span with its attribute makes that check pass', () => {
  const checkout = captured('healthy-checkout');
  const api = checkout.spans.find((s) => s.service === 'api')!;
  checkout.spans.push({
    ...api,
    spanId: 'ffffffffffffffff',
    name: lab1.customSpan,
    attributes: { [lab1.customAttribute]: 4590 },
  });
  const check = instrumentationChecks({ checkout, logs: '' }).find((c) => c.id === 'custom-span')!;
  assert.equal(check.verdict, 'pass');
  assert.equal(check.points, 3);
});

test('a trace cut at web (missing propagation) fails the connected-trace check with a hint', () => {
  const checkout = captured('missing-propagation-product');
  const check = instrumentationChecks({ checkout, logs: '' }).find((c) => c.id === 'connected-trace')!;
  assert.equal(check.verdict, 'fail');
  assert.match(check.found, /services web;/);
  assert.match(check.hint!, /traceparent/);
});

test('no trace, no logs: every check fails with what was missing, none passes on nothing', () => {
  const checks = instrumentationChecks({ logs: '' });
  assert.ok(checks.every((c) => c.verdict === 'fail'));
  assert.match(checks.find((c) => c.id === 'connected-trace')!.found, /not in Tempo/);
  assert.match(checks.find((c) => c.id === 'error-recorded')!.found, /left no trace/);
});

test('missing-propagation: the checks that need api in the checkout trace are not graded, with the reason', () => {
  const checkout = captured('missing-propagation-product');
  const catalog = loadCatalog();
  const scenario = catalog.scenarios.find((s) => s.id === 'missing-propagation')!;
  const checks = withoutPrevented(
    instrumentationChecks({ checkout, logs: logFor(checkout) }),
    checksTheScenarioPrevents(scenario.id, scenario.faults),
  );
  const v = verdicts(checks);
  for (const id of ['resource-api', 'db-spans', 'connected-trace', 'custom-span']) {
    assert.equal(v[id], 'not-graded', id);
    const check = checks.find((c) => c.id === id)!;
    assert.equal(check.points, 0);
    assert.match(check.found, /missing-propagation, where web sends no traceparent to api on purpose/);
  }
  assert.equal(v['resource-web'], 'pass');
  assert.equal(v['log-correlation'], 'pass');
});

test('every other scenario lets the grader grade every check', () => {
  for (const s of loadCatalog().scenarios.filter((x) => x.faults.webPropagation))
    assert.equal(checksTheScenarioPrevents(s.id, s.faults).size, 0, s.id);
});
