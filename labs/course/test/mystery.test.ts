import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findScenario, loadCatalog, openMystery, pickMystery, sealMystery } from '@dojo/course';

test('a sealed mystery carries exactly the scenario fault switches, and neither its id nor its title', () => {
  for (const s of loadCatalog().scenarios) {
    const token = sealMystery(s);
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    assert.ok(!decoded.includes(s.id) && !decoded.includes(s.title), `${s.id}: ${decoded}`);
    const mystery = openMystery(token)!;
    assert.equal(mystery.id, 'mystery');
    assert.deepEqual(mystery.faults, s.faults);
    assert.equal(mystery.deploy, null, 'a mystery deploys nothing, so no release points at it');
  }
});

test('the tiers find the mystery from DOJO_MYSTERY; without it "mystery" is refused with how to start one', () => {
  const slow = findScenario('slow-query');
  assert.deepEqual(
    findScenario('mystery', loadCatalog(), { DOJO_MYSTERY: sealMystery(slow) }).faults,
    slow.faults,
  );
  assert.throws(() => findScenario('mystery', loadCatalog(), {}), /dojo scenario set --mystery/);
  assert.equal(openMystery('not a token'), undefined);
});

test('a mystery picked at random is a broken scenario, any of them', () => {
  const { scenarios } = loadCatalog();
  const picked = new Set(scenarios.map((_, i) => pickMystery(scenarios, (n) => i % n).id));
  assert.ok(!picked.has('healthy'));
  assert.equal(picked.size, scenarios.length - 1);
});
