// The graders against the real lab and its Tempo (the lab's store, or a real Tempo when DOJO_TEMPO_BIN is
// set): reference answers pass, near misses, over-broad queries, syntax errors, fabricated evidence and
// wrong causes each get the verdict a teacher would give.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findScenario, portsFor } from '@dojo/course';
import { type IsolatedLab, isolatedLab, runDojo, tempoUnderTest, until } from '@dojo/labs/testing';
import { gradeInstrumentation } from '../../src/instrumentation-grader.ts';
import { gradeRca } from '../../src/rca-grader.ts';
import { TempoClient } from '../../src/tempo-client.ts';
import { gradeTraceql } from '../../src/traceql-grader.ts';

describe(`graders on the live lab (${tempoUnderTest()}), scenario slow-query`, { timeout: 600_000 }, () => {
  let lab: IsolatedLab;
  let tempo: TempoClient;
  let otlpUrl = '';
  let slowTrace = '';
  let slowMs = 0;
  const dir = mkdtempSync(join(tmpdir(), 'dojo-grade-'));
  const recent = () => ({ start: Date.now() / 1000 - 300, end: Date.now() / 1000 + 5 });

  before(async () => {
    lab = await isolatedLab();
    const ports = portsFor(lab.env);
    tempo = new TempoClient(`http://127.0.0.1:${ports.tempoHttp}`);
    otlpUrl = `http://127.0.0.1:${ports.otlpHttp}`;
    const up = await runDojo(['lab', 'up', '--no-load', '--scenario', 'slow-query'], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}`);
    // Shoppers' requests, without a traceparent: each starts its own trace at web.
    const visit = async (path: string) => (await fetch(`http://127.0.0.1:${ports.web}${path}`)).arrayBuffer();
    for (const path of ['/products/4', '/']) await visit(path);
    // An unindexed review search takes 0.35-1 s as PostgreSQL's cache warms: search until one is slow.
    const terms = ['zipper', 'lens', 'battery', 'strap', 'motor', 'fabric'];
    let sent = 0;
    const hits = await until(
      'a review search over 500 ms, searchable',
      async () => {
        await visit(`/search?q=${terms[sent++ % terms.length]}`);
        const found = await tempo.search('{ span.db.system = "postgresql" && duration > 500ms }', recent());
        return found.length ? found : undefined;
      },
      60_000,
    );
    slowTrace = hits[0]!.traceId;
    slowMs = Math.round(hits[0]!.spans[0]!.durationMs);
  });

  after(async () => {
    await lab?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const traceqlVariants: [string, string, 'pass' | 'fail' | 'not-graded', RegExp?][] = [
    ['reference phrasing', '{ span.db.system = "postgresql" && duration > 500ms }', 'pass'],
    ['conditions swapped', '{ duration > 500ms && span.db.system = "postgresql" }', 'pass'],
    ['threshold in seconds', '{ span.db.system = "postgresql" && duration > 0.5s }', 'pass'],
    ['every database span (too broad)', '{ span.db.system = "postgresql" }', 'fail', /too broad/],
    ['everything', '{ }', 'fail', /too broad/],
    ['threshold far too high (too narrow)', '{ span.db.system = "postgresql" && duration > 30s }', 'fail'],
    ['wrong attribute scope', '{ resource.db.system = "postgresql" && duration > 500ms }', 'fail'],
    ['unclosed brace', '{ span.db.system = "postgresql" && duration > 500ms', 'fail', /expected `}`/],
    ['missing value', '{ span.db.system = && duration > 500ms }', 'fail', /line 1, column/],
    ['not a selector', 'duration > 500ms', 'fail', /span selector/],
  ];

  for (const [name, query, verdict, found] of traceqlVariants) {
    test(`q-slow-db, ${name}: ${verdict}`, async () => {
      writeFileSync(join(dir, 'traceql.yaml'), `q-slow-db: '${query}'\n`);
      const grade = await gradeTraceql(dir, tempo, { windowSeconds: 600, otlpUrl });
      const check = grade.checks.find((c) => c.id === 'q-slow-db')!;
      assert.equal(check.verdict, verdict, `${check.found} / ${check.hint}`);
      if (found) assert.match(`${check.found} ${check.hint}`, found);
    });
  }

  test("a question whose scenario is not running is graded on the grader's designed traces", async () => {
    writeFileSync(join(dir, 'traceql.yaml'), `q-errors: '{ status = error }'\nq-root-api: '{ }'\n`);
    const checks = (await gradeTraceql(dir, tempo, { windowSeconds: 600, otlpUrl })).checks;
    assert.equal(checks.find((c) => c.id === 'q-errors')!.verdict, 'pass');
    assert.equal(checks.find((c) => c.id === 'q-root-api')!.verdict, 'fail');
  });

  test('instrumentation: the shipped lab passes every Lab 1 check except the custom span a learner adds', async () => {
    // The lab's own logs (DOJO_STATE_DIR of lab.env), not those of a lab the developer may be running.
    const grade = await gradeInstrumentation(tempo, { env: lab.env });
    const failed = grade.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id);
    assert.deepEqual(failed, ['custom-span'], grade.checks.map((c) => `${c.id}: ${c.found}`).join('\n'));
  });

  const rca = (fields: Record<string, string>, evidence: string[], prose: string) =>
    writeFileSync(
      join(dir, 'rca.md'),
      `---\n${Object.entries(fields)
        .map(([k, v]) => `${k}: "${v}"`)
        .join('\n')}\nevidence:\n${evidence.map((e) => `  - ${e}`).join('\n')}\n---\n${prose}\n`,
    );
  const right = {
    scenario: 'slow-query',
    service: 'api',
    span: 'pg.query:SELECT shop',
    cause: 'missing-index',
  };
  // The explanation cites what the evidence measured and proposes a fix (the RCA grader checks both).
  const prose = () =>
    `Review search spans in api take ${slowMs} ms because the full-text index on product_reviews is missing, so PostgreSQL parses every review. Recreate the GIN index.`;

  test('rca: the right report with a real slow trace passes every check', async () => {
    rca(right, [slowTrace], prose());
    const grade = await gradeRca(dir, tempo, findScenario('slow-query'));
    assert.deepEqual(
      grade.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.found}`),
      [],
    );
  });

  test('rca: a made-up trace id is named as not in Tempo', async () => {
    rca(right, ['0123456789abcdef0123456789abcdef'], prose());
    const check = (await gradeRca(dir, tempo, findScenario('slow-query'))).checks.find(
      (c) => c.id === 'rca-evidence-1',
    )!;
    assert.equal(check.verdict, 'fail');
    assert.match(check.found, /no such trace/);
  });

  test('rca: a wrong cause fails the cause check; a fast trace fails the evidence check', async () => {
    // Search can lag by-id by seconds on a real Tempo: wait for the "/" trace to be searchable.
    const [fast] = await until('the "/" trace searchable', async () => {
      const found = await tempo.search('{ span.http.route = "/" }', recent());
      return found.length ? found : undefined;
    });
    rca({ ...right, cause: 'n-plus-one-query' }, [fast!.traceId], prose());
    const grade = await gradeRca(dir, tempo, findScenario('slow-query'));
    assert.equal(grade.checks.find((c) => c.id === 'rca-cause')!.verdict, 'fail');
    assert.equal(grade.checks.find((c) => c.id === 'rca-evidence-1')!.verdict, 'fail');
  });

  test('rca: an empty explanation fails, and a wrong span name is caught in the evidence', async () => {
    rca({ ...right, span: 'GET /search' }, [slowTrace], '');
    const grade = await gradeRca(dir, tempo, findScenario('slow-query'));
    assert.equal(grade.checks.find((c) => c.id === 'rca-explanation')!.verdict, 'fail');
    assert.equal(grade.checks.find((c) => c.id === 'rca-span')!.verdict, 'fail');
    assert.match(
      grade.checks.find((c) => c.id === 'rca-evidence-1')!.found,
      /no api span named "GET \/search"/,
    );
  });
});
