// The catalog's root cause of each broken scenario, reported with that scenario's real captured trace as
// evidence, passes every RCA check: the catalog and the grader's evidence check agree. (The live-lab
// version, with evidence found by each scenario's reference query, is in lab-with-tempo.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCatalog } from '@dojo/course';
import { gradeRca } from '../src/rca-grader.ts';
import { referenceRca } from '../src/rca-reference.ts';
import type { TempoClient } from '../src/tempo-client.ts';
import { parseTempoTrace, type TraceView } from '../src/trace-model.ts';

const tracesDir = new URL('../../site/src/data/traces/', import.meta.url);
const captured = new Map<string, { file: string; view: TraceView }>();
for (const file of readdirSync(tracesDir).filter((f) => f.endsWith('.json'))) {
  const view = parseTempoTrace(JSON.parse(readFileSync(new URL(file, tracesDir), 'utf8')));
  captured.set(view.traceId, { file, view });
}
// Tempo's by-id lookup, answered from the captured traces (and 404 for anything else).
const tempo = { trace: async (id: string) => captured.get(id)?.view } as unknown as TempoClient;
const dir = mkdtempSync(join(tmpdir(), 'dojo-rca-ref-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function grade(scenarioId: string, evidence: string) {
  const scenario = loadCatalog().scenarios.find((s) => s.id === scenarioId)!;
  writeFileSync(join(dir, 'rca.md'), referenceRca(scenario, [captured.get(evidence)!.view]));
  return (await gradeRca(dir, tempo, scenario)).checks;
}

for (const scenario of loadCatalog().scenarios.filter((s) => s.rootCause)) {
  const mine = [...captured.entries()].filter(([, c]) => c.file.startsWith(`${scenario.id}-`));
  test(`${scenario.id}: the catalog's root cause, with a captured trace of the scenario as evidence, passes`, async (t) => {
    if (mine.length === 0)
      return t.skip(`no captured trace of ${scenario.id} (node site/scripts/capture-traces.ts)`);
    const results = await Promise.all(
      mine.map(async ([id, c]) => ({ file: c.file, checks: await grade(scenario.id, id) })),
    );
    const passing = results.filter((r) => r.checks.every((c) => c.verdict === 'pass'));
    assert.ok(
      passing.length > 0,
      results
        .map(
          (r) =>
            `${r.file}: ${r.checks
              .filter((c) => c.verdict !== 'pass')
              .map((c) => `${c.id} ${c.found}`)
              .join('; ')}`,
        )
        .join('\n'),
    );
  });
}

test("missing-propagation: api's orphaned half as evidence fails, and the grader says where the fault shows", async () => {
  const [id] = [...captured.entries()].find(([, c]) => c.file === 'missing-propagation-product-orphan.json')!;
  const evidence = (await grade('missing-propagation', id)).find((c) => c.id === 'rca-evidence-1')!;
  assert.equal(evidence.verdict, 'fail');
  assert.match(evidence.found, /starts at api.*the caller's trace, whose CLIENT span has nothing below it/);
});

test('missing-propagation: a checkout trace named by its POST call is as good as a page named by GET', async () => {
  const scenario = loadCatalog().scenarios.find((s) => s.id === 'missing-propagation')!;
  assert.deepEqual(scenario.rootCause?.otherSpans, ['POST']);
  const [id] = [...captured.entries()].find(([, c]) => c.file === 'missing-propagation-product.json')!;
  writeFileSync(
    join(dir, 'rca.md'),
    referenceRca(scenario, [captured.get(id)!.view]).replace('span: "GET"', 'span: "POST"'),
  );
  const checks = (await gradeRca(dir, tempo, scenario)).checks;
  assert.equal(checks.find((c) => c.id === 'rca-span')!.verdict, 'pass');
  // The product page has no POST call: the evidence check holds the report to the span it named.
  assert.match(checks.find((c) => c.id === 'rca-evidence-1')!.found, /no web span named "POST"/);
});
