// The delivery pipeline's plan of a change: stages in order from commit to production, lead time as the
// root span's duration, and a realistic spread (approval waits, retries, failed pipelines, rollbacks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeSource } from '../src/pipeline/changes.ts';
import { backgroundServices, cleanProfile } from '../src/pipeline/organisation.ts';
import { type PlannedSpan, type PlannedTrace, planChange } from '../src/pipeline/plan.ts';
import { seededRandom } from '../src/pipeline/random.ts';

const minute = 60_000;
const now = Date.parse('2025-06-02T10:00:00Z');
const all = (s: PlannedSpan): PlannedSpan[] => [s, ...s.children.flatMap(all)];
const tasks = (t: PlannedTrace) => t.root.children.map((s) => s.attributes['cicd.pipeline.task.name']);

function plans(n: number, seed = 1): PlannedTrace[] {
  const random = seededRandom(seed);
  const source = new ChangeSource(random);
  return Array.from({ length: n }, () => planChange(source.background(now), random));
}

test('a clean change goes commit → build → test → package → staging → approval → production', () => {
  const random = seededRandom(5);
  const source = new ChangeSource(random);
  const change = { ...source.background(now), profile: cleanProfile };
  const { root } = planChange(change, random);
  assert.deepEqual(tasks({ root }), [
    'commit',
    'build',
    'test',
    'package',
    'deploy-staging',
    'approval',
    'deploy-production',
  ]);
  assert.equal(root.service, 'jenkins');
  assert.equal(root.kind, 'server');
  assert.equal(root.name, `RUN ${change.service}-delivery`);
  assert.equal(root.attributes['cicd.pipeline.result'], 'success');
  // The root starts at the commit and ends when production runs the change: its duration is the lead time.
  const commit = root.children[0]!;
  const production = root.children.at(-1)!;
  assert.equal(root.startMs, commit.startMs);
  assert.equal(commit.attributes['git.commit.time'], new Date(commit.startMs).toISOString());
  assert.ok(Math.abs(root.endMs - production.endMs) < 1 && Math.abs(root.endMs - now) < 1);
  assert.equal(production.service, 'argocd');
  assert.equal(production.attributes['deployment.environment.name'], 'production');
  for (let i = 1; i < root.children.length; i++)
    assert.ok(root.children[i]!.startMs >= root.children[i - 1]!.endMs, 'stages run one after another');
  for (const s of all(root)) {
    assert.equal(s.attributes['git.commit.sha'], change.revision);
    assert.equal(s.attributes['vcs.ref.head.revision'], change.revision);
    assert.equal(s.attributes['vcs.repository.url.full'], change.repository);
    assert.equal(s.attributes['cicd.pipeline.name'], `${change.service}-delivery`);
    assert.equal(s.attributes['cicd.pipeline.run.id'], String(change.runId));
    assert.ok(s.endMs >= s.startMs);
  }
});

test('over 600 changes: minutes to hours of lead time, approval waits, retries, failed pipelines, rollbacks', () => {
  const traces = plans(600);
  const delivered = traces.filter((t) => t.root.attributes['cicd.pipeline.result'] === 'success');
  const leads = delivered.map((t) => t.root.endMs - t.root.startMs).sort((a, b) => a - b);
  const median = leads[Math.floor(leads.length / 2)]!;
  const p90 = leads[Math.floor(leads.length * 0.9)]!;
  assert.ok(median > 20 * minute && median < 2 * 60 * minute, `median lead time ${median / minute} min`);
  assert.ok(p90 > 90 * minute && p90 < 8 * 60 * minute, `p90 lead time ${p90 / minute} min`);
  assert.ok(leads[0]! > 8 * minute, 'no change reaches production in seconds');

  const share = (f: (t: PlannedTrace) => boolean) => traces.filter(f).length / traces.length;
  const spans = (t: PlannedTrace) => all(t.root);
  const manual = share((t) => spans(t).some((s) => s.attributes['app.approval.mode'] === 'manual'));
  const retried = share((t) => spans(t).some((s) => s.attributes['app.task.attempt'] === 2));
  const failed = share((t) => t.root.attributes['cicd.pipeline.result'] === 'failure');
  const rolledBack = share((t) =>
    spans(t).some((s) => s.attributes['cicd.pipeline.task.name'] === 'rollback'),
  );
  assert.ok(manual > 0.15 && manual < 0.5, `manual approvals ${manual}`);
  assert.ok(retried > 0.1 && retried < 0.4, `retried stages ${retried}`);
  assert.ok(failed > 0.02 && failed < 0.15, `failed pipelines ${failed}`);
  assert.ok(rolledBack > 0.05 && rolledBack < 0.2, `rolled back ${rolledBack}`);
  // Approval waits dominate the time changes spend in stages (the lab's metrics question relies on it).
  const total = new Map<string, number>();
  for (const s of traces.flatMap(spans)) {
    const task = String(s.attributes['cicd.pipeline.task.name'] ?? '');
    if (task) total.set(task, (total.get(task) ?? 0) + s.endMs - s.startMs);
  }
  const ranked = [...total].sort((a, b) => b[1] - a[1]).map(([task]) => task);
  assert.equal(ranked[0], 'approval', `stages by total time: ${ranked.join(', ')}`);
  assert.deepEqual(
    new Set(traces.map((t) => t.root.attributes['app.release.service'])),
    new Set(backgroundServices.map((s) => s.name)),
  );
});

test('a failed stage is retried; a stage that fails twice stops the pipeline with status error', () => {
  const traces = plans(400, 9);
  const retried = traces.find((t) =>
    t.root.children.some((s, i) => s.error && t.root.children[i + 1]?.name === s.name),
  )!;
  const first = retried.root.children.find((s) => s.error)!;
  const second = retried.root.children[retried.root.children.indexOf(first) + 1]!;
  assert.equal(first.attributes['cicd.pipeline.task.run.result'], 'failure');
  assert.equal(first.attributes['app.task.attempt'], 1);
  assert.equal(second.attributes['app.task.attempt'], 2);
  assert.equal(second.error, undefined);

  const broken = traces.find((t) => t.root.attributes['cicd.pipeline.result'] === 'failure')!;
  assert.ok(broken.root.error);
  assert.match(String(broken.root.attributes['error.type']), /_failed$/);
  assert.ok(!tasks(broken).includes('deploy-production'), 'a failed pipeline deploys nothing');
  assert.ok(Math.abs(broken.root.endMs - now) < 1, 'its trace ends when it is emitted');
});

test('a rollback starts when the bad version went live and ends when the previous one is back', () => {
  const rolled = plans(400, 3).find((t) => all(t.root).some((s) => s.name.startsWith('ROLLBACK')))!;
  const production = rolled.root.children.at(-1)!;
  const rollback = production.children[0]!;
  assert.equal(rollback.attributes['cicd.pipeline.task.name'], 'rollback');
  assert.equal(rollback.startMs, production.endMs);
  assert.ok(Math.abs(rollback.endMs - now) < 1, 'the trace is emitted when the rollback is done');
  assert.ok(rollback.endMs - rollback.startMs > 5 * minute, 'time to restore: minutes, not seconds');
  assert.equal(rolled.root.endMs, production.endMs, 'lead time stops at the production deploy');
  assert.equal(rollback.events?.[0]?.name, 'regression detected');
});
