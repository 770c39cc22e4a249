// The engine against a real Tempo 3.0.3: every query of the oracle corpus, compared with what Tempo
// answered, with a table of identical answers per family.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIVERGENCES } from './support/divergences.ts';
import { type CaseResult, runOracle } from './support/run-oracle.ts';

function table(results: CaseResult[]): string {
  const families = new Map<string, { same: number; diverge: number; total: number }>();
  for (const r of results) {
    const f = families.get(r.query.family) ?? { same: 0, diverge: 0, total: 0 };
    f.total++;
    if (r.ok) f.same++;
    else if (r.query.id in DIVERGENCES) f.diverge++;
    families.set(r.query.family, f);
  }
  const rows = [...families].map(
    ([name, f]) =>
      `  ${name.padEnd(20)} ${String(f.same).padStart(3)}/${String(f.total).padEnd(3)}${f.diverge ? `  (${f.diverge} listed divergence)` : ''}`,
  );
  const same = results.filter((r) => r.ok).length;
  return [`TraceQL conformance with Tempo 3.0.3: ${same}/${results.length} identical`, ...rows].join('\n');
}

test('every oracle query gets the answer Tempo 3.0.3 gave, except the listed divergences', () => {
  const results = runOracle();
  console.log(table(results));
  const unexpected = results.filter((r) => !r.ok && !(r.query.id in DIVERGENCES));
  assert.deepEqual(
    unexpected.map((r) => `${r.query.id}: ${r.difference}`),
    [],
    'these queries differ from Tempo and are not listed divergences',
  );
  const healed = results.filter((r) => r.ok && r.query.id in DIVERGENCES).map((r) => r.query.id);
  assert.deepEqual(healed, [], 'these listed divergences now agree with Tempo: remove them from the list');
  const same = results.filter((r) => r.ok).length;
  assert.ok(same / results.length >= 0.95, `${same}/${results.length} identical is under 95 %`);
});
