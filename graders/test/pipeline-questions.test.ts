// Lab 2's delivery-pipeline questions, graded on real pipeline traces (the emitter, in slow-query, feeding
// the lab's store): the commit's traces, the stage that dominates lead time (a metrics answer judged by its
// largest series), and the deploy that introduced the regression.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { releaseOf } from '@dojo/course';
import { type RunningStore, startStore } from '@dojo/tempo-store';
import type { Check } from '../src/grade-model.ts';
import { loadQuestionBank } from '../src/question-bank.ts';
import { TempoClient } from '../src/tempo-client.ts';
import { gradeTraceql } from '../src/traceql-grader.ts';
import { startPipelineTraffic } from './support/pipeline-traffic.ts';

const sha = releaseOf('api', 'slow-query').revision;

test("the pipeline questions name the commit the catalog derives for slow-query's api deploy", () => {
  const bank = new Map(loadQuestionBank().map((q) => [q.id, q]));
  assert.ok(bank.get('q-commit-deploys')!.reference.includes(sha));
  assert.ok(bank.get('q-commit-deploys')!.prompt.includes(sha));
  assert.ok(bank.get('q-regression-deploy')!.reference.includes(sha));
  assert.equal(bank.get('q-stage-lead-time')!.compare, 'top-series');
  assert.equal(bank.get('q-commit-deploys')!.windowSeconds, 3600);
  assert.equal(bank.get('q-regression-deploy')!.windowSeconds, 3600);
  // The design document's query, as the question's reference.
  assert.match(
    bank.get('q-commit-deploys')!.reference,
    /^\{ resource\.service\.name = "jenkins" \|\| resource\.service\.name = "argocd" \} \| \{ span\.git\.commit\.sha = "[0-9a-f]{40}" \}$/,
  );
});

describe('pipeline questions on the emitter’s traces in the lab’s store', { timeout: 120_000 }, () => {
  let store: RunningStore;
  let stopEmitter: (() => Promise<void>) | undefined;
  let tempo: TempoClient;
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-q-'));

  before(async () => {
    store = await startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0 });
    tempo = new TempoClient(store.urls.tempo);
    stopEmitter = await startPipelineTraffic(store.urls.otlpHttp, tempo, {
      // Switched 8 minutes ago: the deploy's trace ended before the grader's usual few-minute window.
      env: { DOJO_SCENARIO_SINCE: new Date(Date.now() - 8 * 60_000).toISOString() },
      lookbackSeconds: 3600,
    });
  });

  after(async () => {
    await stopEmitter?.();
    await store?.close();
  });

  async function grade(answers: Record<string, string>): Promise<Map<string, Check>> {
    writeFileSync(
      join(dir, 'traceql.yaml'),
      Object.entries(answers)
        .map(([id, q]) => `${id}: '${q}'`)
        .join('\n'),
    );
    const g = await gradeTraceql(dir, tempo, { otlpUrl: store.urls.otlpHttp });
    return new Map(g.checks.map((c) => [c.id, c]));
  }

  test('the reference answers pass, though the deploy ended minutes before the window’s usual start (window: 1h)', async () => {
    const bank = loadQuestionBank();
    const ids = ['q-commit-deploys', 'q-stage-lead-time', 'q-regression-deploy'];
    const checks = await grade(
      Object.fromEntries(ids.map((id) => [id, bank.find((q) => q.id === id)!.reference])),
    );
    for (const id of ids) assert.equal(checks.get(id)!.verdict, 'pass', `${id}: ${checks.get(id)!.found}`);
    assert.match(
      checks.get('q-stage-lead-time')!.found,
      /the largest is span\.cicd\.pipeline\.task\.name="approval"/,
    );
  });

  test('other right answers pass too: the commit on any span, the stage by span name', async () => {
    const checks = await grade({
      'q-commit-deploys': `{ span.git.commit.sha = "${sha}" }`,
      'q-stage-lead-time':
        '{ resource.service.name = "jenkins" || resource.service.name = "argocd" } | sum_over_time(duration) by (name)',
      'q-regression-deploy': `{ span.cicd.pipeline.task.name = "deploy-production" && span.git.commit.sha = "${sha}" }`,
    });
    assert.equal(checks.get('q-commit-deploys')!.verdict, 'pass');
    assert.equal(checks.get('q-stage-lead-time')!.verdict, 'pass', checks.get('q-stage-lead-time')!.found);
    assert.equal(checks.get('q-regression-deploy')!.verdict, 'pass');
  });

  test('counting spans per stage, one series, a search query, or the whole pipeline run each fail', async () => {
    const counted = await grade({
      'q-stage-lead-time':
        '{ span.cicd.pipeline.task.name != nil } | count_over_time() by (span.cicd.pipeline.task.name)',
      'q-regression-deploy': `{ span.git.commit.sha = "${sha}" }`,
    });
    assert.equal(counted.get('q-stage-lead-time')!.verdict, 'fail');
    assert.match(counted.get('q-stage-lead-time')!.hint!, /measure time, not the number of spans/);
    assert.equal(
      counted.get('q-regression-deploy')!.verdict,
      'fail',
      'every span of the commit is not the deploy span',
    );
    const single = await grade({
      'q-stage-lead-time': '{ span.cicd.pipeline.task.name != nil } | sum_over_time(duration)',
    });
    assert.match(single.get('q-stage-lead-time')!.found, /1 series/);
    const search = await grade({ 'q-stage-lead-time': '{ span.cicd.pipeline.task.name = "approval" }' });
    assert.match(search.get('q-stage-lead-time')!.found, /a search query/);
  });
});
