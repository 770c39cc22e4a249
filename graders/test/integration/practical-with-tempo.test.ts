// The practical's grader against the live local lab and its Tempo (the lab's store unless DOJO_TEMPO_BIN
// names a real one), once per way the shipping service can be: both reference solutions pass every check,
// both shipped (uninstrumented) services fail every check with a hint, and near misses fail just the checks
// they break. Each case starts its own lab with DOJO_PRACTICAL (and DOJO_SHIPPING_DIR), as a learner would.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { portsFor, solutionShippingDirs } from '@dojo/course';
import { isolatedLab, runDojo, tempoUnderTest } from '@dojo/labs/testing';
import type { Grade } from '../../src/grade-model.ts';
import { gradePractical } from '../../src/practical-grader.ts';
import { TempoClient } from '../../src/tempo-client.ts';

const allChecks = [
  'practical-exports',
  'practical-resource',
  'practical-server-parent',
  'practical-outgoing',
  'practical-custom-span',
  'practical-error',
  'practical-no-leaks',
];

const scratch = mkdtempSync(join(tmpdir(), 'dojo-practical-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the Python reference solution with some lines changed: a learner's near miss. */
function pythonVariant(name: string, edits: [string, string][]): string {
  const dir = join(scratch, name);
  cpSync(solutionShippingDirs.python, dir, { recursive: true });
  for (const file of ['app.py', 'tracing.py']) {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [from, to] of edits) if (text.includes(from)) text = text.replace(from, to);
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** Starts a lab running this shipping service, grades it, stops the lab. */
async function grade(practical: 'typescript' | 'python', dir?: string): Promise<Grade> {
  const lab = await isolatedLab({
    DOJO_PRACTICAL: practical,
    ...(dir ? { DOJO_SHIPPING_DIR: dir } : {}),
  });
  try {
    const up = await runDojo(['lab', 'up', '--no-load'], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}\n${up.stdout}`);
    const ports = portsFor(lab.env);
    return await gradePractical(new TempoClient(`http://127.0.0.1:${ports.tempoHttp}`), {
      webUrl: `http://127.0.0.1:${ports.web}`,
      env: lab.env,
      // The lab gives shipping a 0.5 s batch delay (OTEL_BSP_SCHEDULE_DELAY), which both SDKs honour here.
      graceMs: 5000,
    });
  } finally {
    await lab.cleanup();
  }
}

const failing = (g: Grade) => g.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id);
const explain = (g: Grade) => g.checks.map((c) => `${c.id}: ${c.verdict} — ${c.found}`).join('\n');

describe(`the practical's grader with ${tempoUnderTest()}`, { timeout: 900_000 }, () => {
  for (const language of ['typescript', 'python'] as const) {
    test(`${language}: the reference solution passes every check`, async () => {
      const g = await grade(language, solutionShippingDirs[language]);
      assert.deepEqual(failing(g), [], explain(g));
      assert.deepEqual(
        g.checks.map((c) => c.id),
        allChecks,
      );
    });

    test(`${language}: the shipped, uninstrumented service fails every check, each with a hint of its own`, async () => {
      const g = await grade(language);
      assert.deepEqual(failing(g), allChecks, explain(g));
      const hints = g.checks.map((c) => c.hint ?? '');
      assert.ok(
        hints.every((h) => h.length > 40),
        'a check failed without a useful hint',
      );
      assert.equal(new Set(hints).size, hints.length, 'two checks gave the same hint');
      assert.match(hints[0]!, /OTEL_EXPORTER_OTLP_ENDPOINT/);
      assert.match(g.checks.find((c) => c.id === 'practical-server-parent')!.hint!, /traceparent/);
    });
  }

  test('python near miss: a text attribute and the shopper’s email on a span fail just those two checks', async () => {
    const dir = pythonVariant('leaky', [
      [
        'span.set_attribute("app.shipping.weight_grams", weight)',
        'span.set_attribute("app.shipping.weight_grams", str(weight))',
      ],
      [
        '    weight = parcel_grams(body.get("items"))\n    shipment = call_carrier(',
        '    trace.get_current_span().set_attribute("app.recipient", recipient["email"])\n    weight = parcel_grams(body.get("items"))\n    shipment = call_carrier(',
      ],
    ]);
    const g = await grade('python', dir);
    assert.deepEqual(failing(g), ['practical-custom-span', 'practical-no-leaks'], explain(g));
    assert.match(g.checks.find((c) => c.id === 'practical-custom-span')!.found, /not a whole number/);
    assert.match(g.checks.find((c) => c.id === 'practical-no-leaks')!.found, /shopper's email/);
  });

  test('python near miss: an SDK without a service name is told its spans arrive as unknown_service', async () => {
    const dir = pythonVariant('unnamed', [['        "service.name": "shipping",\n', '']]);
    const g = await grade('python', dir);
    assert.deepEqual(failing(g), allChecks, explain(g));
    assert.match(g.checks[0]!.hint!, /unknown_service/);
  });
});
