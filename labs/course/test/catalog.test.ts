import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogError, findScenario, healthyFaults, loadCatalog, validateCatalog } from '@dojo/course';

test('the shipped catalog holds every scenario of the design, each with a reference query', () => {
  const ids = loadCatalog().scenarios.map((s) => s.id);
  for (const id of [
    'healthy',
    'missing-propagation',
    'slow-query',
    'n-plus-one',
    'external-latency',
    'error-cascade',
    'async-context-lost',
    'network-latency',
  ]) {
    assert.ok(ids.includes(id), `missing scenario ${id}`);
  }
});

test('a scenario inherits healthy defaults for every switch it does not break', () => {
  const slow = findScenario('slow-query');
  assert.equal(slow.faults.reviewsIndex, false);
  assert.equal(slow.faults.webPropagation, healthyFaults.webPropagation);
  assert.deepEqual(findScenario('healthy').faults, { ...healthyFaults });
});

test('network-latency breaks only the link between web and api: a share held back, a smaller share reset', () => {
  const { faults } = findScenario('network-latency');
  assert.deepEqual(
    Object.keys(faults).filter(
      (k) => faults[k as keyof typeof faults] !== healthyFaults[k as keyof typeof faults],
    ),
    ['linkDelayShare', 'linkResetShare'],
  );
  assert.ok(faults.linkResetShare > 0 && faults.linkResetShare < faults.linkDelayShare);
  assert.equal(healthyFaults.linkDelayShare + healthyFaults.linkResetShare, 0);
});

test('an unknown scenario is a user error naming the valid ids', () => {
  assert.throws(
    () => findScenario('slow-querry'),
    (e: unknown) => {
      assert.ok(e instanceof CatalogError);
      assert.match(e.message, /unknown scenario "slow-querry".*slow-query/);
      return true;
    },
  );
});

test('validation reports unknown switches, wrong types and causes not in the catalog', () => {
  const raw = {
    causes: [{ id: 'missing-index', title: 'x' }],
    scenarios: [
      {
        id: 'healthy',
        title: 't',
        broken: 'b',
        symptom: 's',
        signature: 'g',
        reference: '{}',
        rootCause: null,
      },
      {
        id: 'bad',
        title: 't',
        broken: 'b',
        symptom: 's',
        signature: 'g',
        reference: '{}',
        rootCause: { service: 'api', span: 'x', cause: 'no-such-cause' },
        faults: { reviewsIndex: 'no', teleport: true },
      },
    ],
  };
  assert.throws(
    () => validateCatalog(raw),
    (e: unknown) => {
      const m = (e as Error).message;
      assert.match(m, /unknown fault switch "teleport"/);
      assert.match(m, /fault "reviewsIndex" must be a boolean/);
      assert.match(m, /"no-such-cause" is not one of the catalog's causes/);
      return true;
    },
  );
});
