// `dojo grade dora` on real pipeline traces: the lab's store, fed by the real pipeline emitter (a fresh lab
// replays 100 changes at once). A correct answers file passes; wrong figures, queries that do not produce
// the figures, and an empty file fail with a hint; malformed files stop with one line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCatalog, UserError } from '@dojo/course';
import { type RunningStore, startStore } from '@dojo/tempo-store';
import { gradeDora, productionDeploys } from '../src/dora-grader.ts';
import { runGradeCommand } from '../src/grade-command.ts';
import type { Check } from '../src/grade-model.ts';
import { noRunningLab } from '../src/running-lab.ts';
import { TempoClient } from '../src/tempo-client.ts';
import { startPipelineTraffic } from './support/pipeline-traffic.ts';

const n = 20;
const leadQuery = '{ span.cicd.pipeline.result = "success" }';
const deploysQuery = '{ span.cicd.pipeline.task.name = "deploy-production" && status != error }';
const failuresQuery = '{ span.cicd.pipeline.task.name = "rollback" }';

/** The truth, worked out the long way: every pipeline trace read whole from the store. */
interface Truth {
  asOf: string;
  medianMs: number;
  p90Ms: number;
  deployLeadMedianMs: number;
  failures: number;
}

describe("dojo grade dora on the pipeline emitter's traces in the lab's store", { timeout: 120_000 }, () => {
  let store: RunningStore;
  let tempo: TempoClient;
  let truth: Truth;
  const dir = mkdtempSync(join(tmpdir(), 'dora-grade-'));

  before(async () => {
    store = await startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0 });
    tempo = new TempoClient(store.urls.tempo);
    // 100 replayed changes and the two baseline deploys of the shop's tiers, then no more.
    const stop = await startPipelineTraffic(store.urls.otlpHttp, tempo, {
      scenario: 'healthy',
      changesPerMinute: 10,
      runs: 102,
      lookbackSeconds: 3600,
    });
    await stop();
    await new Promise((r) => setTimeout(r, 1100)); // as_of is written in whole seconds
    truth = await workOutTruth(tempo);
  });

  after(async () => {
    await store?.close();
  });

  async function workOutTruth(client: TempoClient): Promise<Truth> {
    const asOfMs = Math.floor(Date.now() / 1000) * 1000;
    const all = await client.search('{ }', { start: asOfMs / 1000 - 3600, end: asOfMs / 1000, limit: 1000 });
    const deployed: { end: number; lead: number; failed: boolean; deployMs: number }[] = [];
    for (const t of all) {
      const trace = (await client.trace(t.traceId))!;
      const prod = trace.spans.filter(
        (s) => s.attributes['cicd.pipeline.task.name'] === 'deploy-production' && s.status !== 'error',
      );
      if (prod.length === 0) continue;
      const root = trace.spans.find((s) => !s.parentSpanId)!;
      deployed.push({
        end: Math.max(...trace.spans.map((s) => s.startMs + s.durationMs)),
        lead: root.durationMs,
        failed: trace.spans.some((s) => s.name.startsWith('ROLLBACK')),
        deployMs: prod[0]!.durationMs,
      });
    }
    const last = deployed.sort((a, b) => a.end - b.end).slice(-n);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const leads = sorted(last.map((d) => d.lead));
    const deploys = sorted(last.map((d) => d.deployMs));
    return {
      asOf: new Date(asOfMs).toISOString(),
      medianMs: (leads[9]! + leads[10]!) / 2,
      p90Ms: leads[17]! + 0.1 * (leads[18]! - leads[17]!),
      deployLeadMedianMs: (deploys[9]! + deploys[10]!) / 2,
      failures: last.filter((d) => d.failed).length,
    };
  }

  const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)}m`;
  function answers(
    over: Partial<Record<'median' | 'p90' | 'value' | 'lead' | 'deploys' | 'failures', string>> = {},
  ) {
    return `as_of: ${truth.asOf}
deploys: ${n}
lead_time:
  query: '${over.lead ?? leadQuery}'
  median: ${over.median ?? minutes(truth.medianMs)}
  p90: ${over.p90 ?? minutes(truth.p90Ms)}
change_failure_rate:
  deploys_query: '${over.deploys ?? deploysQuery}'
  failures_query: '${over.failures ?? failuresQuery}'
  value: ${over.value ?? `${(truth.failures / n) * 100}%`}
`;
  }
  async function grade(text: string): Promise<Map<string, Check>> {
    writeFileSync(join(dir, 'dora.yaml'), text);
    const g = await gradeDora(dir, tempo);
    return new Map(g.checks.map((c) => [c.id, c]));
  }
  const verdicts = (checks: Map<string, Check>) =>
    Object.fromEntries([...checks].map(([id, c]) => [id.replace('dora-', ''), c.verdict]));

  test('the emitted history is realistic: lead times of minutes to hours, some changes rolled back', () => {
    assert.ok(truth.medianMs > 15 * 60_000 && truth.p90Ms > truth.medianMs, JSON.stringify(truth));
    assert.ok(truth.failures >= 2, `${truth.failures} of the last 20 deploys were rolled back`);
  });

  test('a correct answers file passes every check, through the CLI with exit code 0', async () => {
    writeFileSync(join(dir, 'dora.yaml'), answers());
    const lines: string[] = [];
    process.env.TEMPO_URL = store.urls.tempo;
    const code = await runGradeCommand(['dora', '--answers', dir], noRunningLab, (s) => lines.push(s));
    assert.equal(code, 0, lines.join('\n'));
    assert.match(lines.join('\n'), /100\/100 points/);
  });

  // `grade all` grades the quiz too, whose key a learner edition does not hold.
  const quizKeyed = readFileSync(new URL('../data/quiz.yaml', import.meta.url), 'utf8').includes('answer:');
  test('grade all includes Lab 4 once dora.yaml is written, graded on the same traces', {
    skip: !quizKeyed && 'the quiz key is in the instructor kit, not in a learner edition',
  }, async () => {
    const all = mkdtempSync(join(tmpdir(), 'dora-all-'));
    writeFileSync(join(all, 'traceql.yaml'), 'q-errors: "{ kind = server }"\n');
    writeFileSync(join(all, 'quiz.yaml'), 'quiz-span: b\n');
    writeFileSync(
      join(all, 'rca.md'),
      // Any cause id will do (no lab runs, so rca.md is checked as a file only); none is written out here,
      // so the learner edition's scan for root causes stays meaningful.
      `---\nservice: api\nspan: "pg.query:SELECT shop"\ncause: ${loadCatalog().causes[0]!.id}\nevidence:\n  - 0af7651916cd43dd8448eb211c80319c\n---\nThe review search parses every review.\n`,
    );
    process.env.TEMPO_URL = store.urls.tempo;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = store.urls.otlpHttp;
    const report = async () => {
      const lines: string[] = [];
      await runGradeCommand(['all', '--answers', all, '--format', 'json'], noRunningLab, (l) =>
        lines.push(l),
      );
      return JSON.parse(lines.join('\n')) as { grades: { lab: string; checks: Check[] }[] };
    };
    assert.ok(!(await report()).grades.some((g) => g.lab === 'dora'), 'no dora.yaml, no Lab 4');
    writeFileSync(join(all, 'dora.yaml'), answers());
    const dora = (await report()).grades.find((g) => g.lab === 'dora');
    assert.ok(dora, 'Lab 4 is graded once dora.yaml exists');
    assert.deepEqual(
      dora.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id),
      [],
    );
    assert.equal(dora.checks.length, 5);
  });

  test('a median twice too high fails that check alone, with the hint where lead time is measured', async () => {
    const c = await grade(answers({ median: minutes(truth.medianMs * 2) }));
    assert.deepEqual(verdicts(c), {
      'lead-time-median': 'fail',
      'lead-time-p90': 'pass',
      'lead-time-query': 'fail', // the query does not give the doubled figure either
      'change-failure-rate': 'pass',
      'change-failure-rate-queries': 'pass',
    });
    const median = c.get('dora-lead-time-median')!;
    assert.match(median.found, /too high/);
    assert.match(median.hint!, /root span/);
    assert.doesNotMatch(median.found + median.expected, new RegExp(minutes(truth.medianMs).replace('m', '')));
  });

  test('a p90 half the truth fails as too low', async () => {
    const c = await grade(answers({ p90: minutes(truth.p90Ms / 2) }));
    assert.equal(c.get('dora-lead-time-p90')!.verdict, 'fail');
    assert.match(c.get('dora-lead-time-p90')!.found, /too low/);
    assert.equal(c.get('dora-lead-time-median')!.verdict, 'pass');
  });

  test('a change failure rate three deploys off fails; one deploy off is within the tolerance', async () => {
    const off = (k: number) => `${((truth.failures + k) / n) * 100}%`;
    const c = await grade(answers({ value: off(3) }));
    assert.equal(c.get('dora-change-failure-rate')!.verdict, 'fail');
    assert.match(c.get('dora-change-failure-rate')!.hint!, /rollback/);
    assert.equal(c.get('dora-change-failure-rate-queries')!.verdict, 'fail');
    assert.equal((await grade(answers({ value: off(1) }))).get('dora-change-failure-rate')!.verdict, 'pass');
  });

  test('right figures from a query that does not produce them (deploy durations, not lead times) fail', async () => {
    const c = await grade(answers({ lead: deploysQuery }));
    const q = c.get('dora-lead-time-query')!;
    assert.equal(q.verdict, 'fail');
    assert.equal(q.lookedAt, deploysQuery);
    assert.match(q.found, new RegExp(`median of ${Math.round(truth.deployLeadMedianMs / 60_000)} min`));
    assert.match(q.hint!, /write the figures your query gives/);
    assert.equal(c.get('dora-lead-time-median')!.verdict, 'pass');
  });

  test('a query matching several spans per change, one too narrow, and invalid TraceQL each fail with a hint', async () => {
    const several = (await grade(answers({ lead: '{ resource.service.name = "jenkins" }' }))).get(
      'dora-lead-time-query',
    )!;
    assert.equal(several.verdict, 'fail');
    assert.match(several.hint!, /one span per change/);
    const narrow = (
      await grade(
        answers({
          lead: '{ span.cicd.pipeline.result = "success" && span.app.release.service = "web" }',
        }),
      )
    ).get('dora-lead-time-query')!;
    assert.equal(narrow.verdict, 'fail');
    assert.match(narrow.found, /20 are needed/);
    const invalid = (await grade(answers({ lead: '{ span.cicd.pipeline.result = }' }))).get(
      'dora-lead-time-query',
    )!;
    assert.equal(invalid.verdict, 'fail');
    assert.match(invalid.found, /invalid TraceQL, line 1, column \d+/);
  });

  test('failure and deploy queries that count other things than rollbacks and production deploys fail', async () => {
    const errors = (
      await grade(answers({ failures: '{ span.cicd.pipeline.task.name = "deploy-staging" }' }))
    ).get('dora-change-failure-rate-queries')!;
    assert.equal(errors.verdict, 'fail');
    assert.match(errors.found, /failures_query counts 1\d of those deploys that were not rolled back/);
    assert.match(errors.hint!, /rollback task/);
    const runs = (
      await grade(answers({ deploys: '{ resource.service.name = "jenkins" && kind = server }' }))
    ).get('dora-change-failure-rate-queries')!;
    assert.equal(runs.verdict, 'fail');
    assert.match(runs.found, /deploys_query finds \d+ changes that never reached production/);
    assert.match(runs.hint!, /a pipeline that failed in CI, is not one/);
  });

  test('an empty file fails every check with a hint that shows the format; exit code 1', async () => {
    const c = await grade('');
    assert.equal(c.size, 5);
    for (const check of c.values()) {
      assert.equal(check.verdict, 'fail');
      assert.match(check.hint!, /dora\.yaml is empty: write your figures and queries in it, like\nas_of:/);
    }
    writeFileSync(join(dir, 'dora.yaml'), '');
    assert.equal(await runGradeCommand(['dora', '--answers', dir], noRunningLab, () => {}), 1);
  });

  test('more deploys than the traces hold is not graded (exit 2); a malformed file stops with one line', async () => {
    writeFileSync(join(dir, 'dora.yaml'), answers().replace(`deploys: ${n}`, 'deploys: 200'));
    const lines: string[] = [];
    assert.equal(await runGradeCommand(['dora', '--answers', dir], noRunningLab, (s) => lines.push(s)), 2);
    assert.match(lines.join('\n'), /let the pipeline run a few minutes/);
    for (const [text, message] of [
      [answers({ median: 'soon' }), /lead_time\.median "soon" needs a unit/],
      [answers().replace(truth.asOf, '2999-01-01T00:00:00Z'), /as_of 2999-01-01T00:00:00Z is in the future/],
      [answers().replace(truth.asOf, '2020-01-01T00:00:00Z'), /older than the traces the lab keeps/],
    ] as const) {
      writeFileSync(join(dir, 'dora.yaml'), text);
      await assert.rejects(
        gradeDora(dir, tempo),
        (e: unknown) => e instanceof UserError && message.test(e.message),
      );
    }
  });

  test('the grader defines a production deploy as a successful argocd production sync', async () => {
    const found = await tempo.search(productionDeploys, {
      start: Date.now() / 1000 - 3600,
      end: Date.now() / 1000,
      limit: 1000,
    });
    assert.ok(found.length >= 80);
    for (const t of found.slice(0, 5)) {
      const trace = (await tempo.trace(t.traceId))!;
      assert.ok(
        trace.spans.some(
          (s) => s.service === 'argocd' && s.attributes['deployment.environment.name'] === 'production',
        ),
      );
    }
  });
});
