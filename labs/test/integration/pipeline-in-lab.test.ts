// The delivery pipeline in the local lab, as `make lab-up` starts it: pipeline traces are searchable
// within a minute, and `dojo scenario set slow-query` arrives as a deploy whose commit a learner can tie to
// the slow spans with TraceQL alone; returning to healthy rolls that deploy back, inside its own trace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { portsFor, releaseOf } from '@dojo/course';
import { TempoClient } from '@dojo/graders';
import { type IsolatedLab, isolatedLab, runDojo, tempoUnderTest, until } from '@dojo/labs/testing';

describe(`the delivery pipeline in the local lab (${tempoUnderTest()})`, { timeout: 600_000 }, () => {
  let lab: IsolatedLab;
  let tempo: TempoClient;
  let web = '';
  let upMs = 0;
  const recent = () => ({
    start: Date.now() / 1000 - 3600,
    end: Date.now() / 1000 + 1,
    limit: 1000,
    spss: 50,
  });

  before(async () => {
    lab = await isolatedLab();
    const ports = portsFor(lab.env);
    tempo = new TempoClient(`http://127.0.0.1:${ports.tempoHttp}`);
    web = `http://127.0.0.1:${ports.web}`;
    const started = Date.now();
    // As `make lab-up` does: the load generator and the pipeline at their default rates.
    const up = await runDojo(['lab', 'up'], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}`);
    upMs = Date.now() - started;
  });

  after(async () => {
    await lab?.cleanup();
  });

  test('pipeline traces from jenkins and argocd are searchable within a minute of lab up', async () => {
    const started = Date.now() - upMs;
    const runs = await until(
      'pipeline runs in Tempo',
      async () => {
        const found = await tempo.search('{ resource.service.name = "jenkins" && kind = server }', recent());
        return found.length >= 20 ? found : undefined;
      },
      60_000,
    );
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
    assert.ok(runs.every((t) => t.rootServiceName === 'jenkins'));
    const deploys = await tempo.search(
      '{ resource.service.name = "argocd" && span.deployment.environment.name = "production" }',
      recent(),
    );
    assert.ok(deploys.length > 0, 'argocd deploys to production');
    // The shop's own baseline release is among the deploys: what api runs in healthy.
    const api = releaseOf('api', 'healthy');
    assert.equal(
      (await tempo.search(`{ span.git.commit.sha = "${api.revision}" }`, recent())).length,
      1,
      'one deploy trace of api’s baseline commit',
    );
  });

  test('scenario set slow-query is a deploy whose commit the slow spans name in their resource', async () => {
    const set = await runDojo(['scenario', 'set', 'slow-query'], lab.env);
    assert.equal(set.code, 0, set.stderr);
    for (const q of ['zipper', 'lens', 'strap']) await (await fetch(`${web}/search?q=${q}`)).arrayBuffer();
    // 1. From the slow spans to the commit: the slowest database span of api, with the revision api runs.
    const slowest = await until('review searches on the new api', async () => {
      const found = await tempo.search(
        '{ resource.service.name = "api" && span.db.system = "postgresql" && duration > 100ms } | select(resource.vcs.ref.head.revision, resource.service.version)',
        { ...recent(), start: Date.now() / 1000 - 120 },
      );
      const spans = found.flatMap((t) => t.spans);
      return spans.length >= 3 ? spans.sort((a, b) => b.durationMs - a.durationMs)[0] : undefined;
    });
    const revision = String(slowest.attributes['vcs.ref.head.revision']);
    const release = releaseOf('api', 'slow-query');
    assert.equal(revision, release.revision);
    assert.equal(slowest.attributes['service.version'], release.version);
    // 2. From the commit to its delivery, with the design document's query.
    const traces = await until('the deploy trace of the commit', async () => {
      const found = await tempo.search(
        `{ resource.service.name = "jenkins" || resource.service.name = "argocd" } | { span.git.commit.sha = "${revision}" }`,
        recent(),
      );
      return found.length > 0 ? found : undefined;
    });
    assert.equal(traces.length, 1);
    const deploy = await tempo.search(
      `{ resource.service.name = "argocd" && span.cicd.pipeline.task.name = "deploy-production" && span.vcs.ref.head.revision = "${revision}" }`,
      recent(),
    );
    const span = deploy[0]!.spans[0]!;
    assert.equal(deploy[0]!.traceId, traces[0]!.traceId);
    assert.equal(span.attributes['app.release.version'] ?? release.version, release.version);
    assert.ok(
      span.startMs + span.durationMs <= slowest.startMs + 1,
      'the deploy went live before the slow spans',
    );
    const commit = await tempo.search(
      `{ span.cicd.pipeline.task.name = "commit" && span.git.commit.sha = "${revision}" } | select(span.git.commit.message)`,
      recent(),
    );
    assert.equal(commit[0]!.spans[0]!.attributes['git.commit.message'], release.change);
  });

  test('back to healthy: the deploy is rolled back inside its own trace, lasting while it was live', async () => {
    const revision = releaseOf('api', 'slow-query').revision;
    const set = await runDojo(['scenario', 'set', 'healthy'], lab.env);
    assert.equal(set.code, 0, set.stderr);
    const rollback = await until('the rollback span', async () => {
      const found = await tempo.search(
        `{ span.cicd.pipeline.task.name = "rollback" && span.git.commit.sha = "${revision}" }`,
        recent(),
      );
      return found[0];
    });
    const deployTrace = await tempo.search(
      `{ span.cicd.pipeline.task.name = "deploy-production" && span.git.commit.sha = "${revision}" }`,
      recent(),
    );
    assert.equal(rollback.traceId, deployTrace[0]!.traceId);
    assert.ok(rollback.spans[0]!.durationMs > 1000, 'time to restore: from the deploy until the rollback');
  });
});
