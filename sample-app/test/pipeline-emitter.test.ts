// The pipeline emitter as the lab runs it: a real process exporting through the real SDK to a capturing
// OTLP receiver. A fresh lab replays the recent past and the shop's deploys; a scenario switch is a deploy,
// and returning to healthy rolls it back inside the deploy's own trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { releaseOf } from '@dojo/course';
import { type CapturedSpan, OtlpSink, SPAN_KIND } from '@dojo/sample-app/testing';
import { deployIds } from '../src/pipeline/ids.ts';

const main = fileURLToPath(new URL('../src/pipeline/main.ts', import.meta.url));
let sink: OtlpSink;

before(async () => {
  sink = await new OtlpSink().start();
});
after(() => sink.stop());

/** Runs the emitter until `done` holds over what it exported, then stops it as the supervisor does. */
async function runEmitter<T>(
  env: NodeJS.ProcessEnv,
  what: string,
  done: (spans: CapturedSpan[]) => T | undefined,
): Promise<{ found: T; log: string }> {
  sink.clear();
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PIPELINE_SEED: '42',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => {
    log += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    log += c.toString();
  });
  try {
    return { found: await sink.waitFor(what, done), log };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const byTrace = (spans: CapturedSpan[]) => {
  const map = new Map<string, CapturedSpan[]>();
  for (const s of spans) map.set(s.traceId, [...(map.get(s.traceId) ?? []), s]);
  return map;
};
const task = (s: CapturedSpan) => s.attributes['cicd.pipeline.task.name'];

test('a fresh lab in slow-query: the recent past, the baseline releases and the api deploy that broke it', async () => {
  const since = new Date(Date.now() - 2000).toISOString();
  const api = releaseOf('api', 'slow-query');
  const ids = deployIds(api.revision, since);
  const { found: spans } = await runEmitter(
    { DOJO_SCENARIO: 'slow-query', DOJO_SCENARIO_SINCE: since, PIPELINE_CHANGES_PER_MINUTE: '3' },
    'the replayed changes and the api deploy',
    (all) => (byTrace(all).size >= 33 && all.some((s) => s.traceId === ids.traceId) ? all : undefined),
  );
  assert.deepEqual(new Set(spans.map((s) => s.service)), new Set(['jenkins', 'argocd']));
  for (const s of spans) {
    assert.equal(s.resource['service.namespace'], 'delivery');
    assert.ok(s.attributes['git.commit.sha'], `${s.name} carries git.commit.sha`);
    assert.equal(s.attributes['git.commit.sha'], s.attributes['vcs.ref.head.revision']);
  }
  // One trace per change, the deploy controller's spans below the CI server's pipeline run.
  for (const [, trace] of byTrace(spans)) {
    const roots = trace.filter((s) => !s.parentSpanId);
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.service, 'jenkins');
    assert.equal(roots[0]!.kind, SPAN_KIND.SERVER);
    for (const s of trace.filter((x) => x.service === 'argocd'))
      assert.ok(trace.some((p) => p.spanId === s.parentSpanId));
  }
  // The slow-query deploy: the trace and deploy span ids the rollback will find again, live at `since`.
  const deploy = byTrace(spans).get(ids.traceId)!;
  const production = deploy.find((s) => task(s) === 'deploy-production')!;
  assert.equal(production.spanId, ids.deploySpanId);
  assert.equal(production.service, 'argocd');
  assert.equal(production.attributes['app.release.version'], api.version);
  assert.equal(production.attributes['git.commit.sha'], api.revision);
  assert.ok(Math.abs(production.startMs + production.durationMs - Date.parse(since)) < 2);
  const commit = deploy.find((s) => task(s) === 'commit')!;
  assert.equal(commit.attributes['git.commit.message'], api.change);
  // Both tiers' baseline releases were deployed before; background services fill the rest.
  for (const service of ['web', 'api']) {
    const base = releaseOf(service, 'healthy');
    assert.ok(
      spans.some((s) => s.attributes['git.commit.sha'] === base.revision && task(s) === 'deploy-production'),
    );
  }
  assert.ok(spans.some((s) => s.attributes['app.release.service'] === 'inventory'));
});

test('back to healthy: the rollback of the api deploy, inside that deploy trace, lasting while it was live', async () => {
  const deployed = new Date(Date.now() - 95_000).toISOString();
  const now = new Date(Date.now() - 1000).toISOString();
  const api = releaseOf('api', 'slow-query');
  const ids = deployIds(api.revision, deployed);
  const { found: rollback } = await runEmitter(
    {
      DOJO_SCENARIO: 'healthy',
      DOJO_SCENARIO_SINCE: now,
      DOJO_PREVIOUS_SCENARIO: 'slow-query',
      DOJO_PREVIOUS_SCENARIO_SINCE: deployed,
      PIPELINE_CHANGES_PER_MINUTE: '0',
    },
    'the rollback span',
    (all) => all.find((s) => task(s) === 'rollback'),
  );
  assert.equal(rollback.traceId, ids.traceId);
  assert.equal(rollback.parentSpanId, ids.deploySpanId);
  assert.equal(rollback.service, 'argocd');
  assert.equal(rollback.startMs, Date.parse(deployed));
  assert.ok(Math.abs(rollback.startMs + rollback.durationMs - Date.parse(now)) < 2);
  assert.equal(rollback.attributes['git.commit.sha'], api.revision);
  assert.equal(rollback.attributes['app.rollback.to.version'], releaseOf('api', 'healthy').version);
  // A switch replays nothing: no baseline deploys, no background history.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sink.spans.length, 1);
});

test('slow-query to n-plus-one deploys the next api version; the same scenario again deploys nothing', async () => {
  const since = new Date().toISOString();
  const next = releaseOf('api', 'n-plus-one');
  const { found } = await runEmitter(
    {
      DOJO_SCENARIO: 'n-plus-one',
      DOJO_SCENARIO_SINCE: since,
      DOJO_PREVIOUS_SCENARIO: 'slow-query',
      DOJO_PREVIOUS_SCENARIO_SINCE: new Date(Date.now() - 60_000).toISOString(),
      PIPELINE_CHANGES_PER_MINUTE: '0',
    },
    'the n-plus-one deploy',
    (all) => all.find((s) => task(s) === 'deploy-production'),
  );
  assert.equal(found.attributes['app.release.version'], next.version);
  assert.equal(found.traceId, deployIds(next.revision, since).traceId);

  const { log } = await runEmitter(
    {
      DOJO_SCENARIO: 'n-plus-one',
      DOJO_SCENARIO_SINCE: since,
      DOJO_PREVIOUS_SCENARIO: 'n-plus-one',
      DOJO_PREVIOUS_SCENARIO_SINCE: since,
      PIPELINE_CHANGES_PER_MINUTE: '120',
    },
    'a background change',
    (all) => (all.length > 0 ? true : undefined),
  );
  assert.ok(!sink.spans.some((s) => s.attributes['app.release.service'] === 'api'), 'no api deploy again');
  assert.match(log, /120 changes per minute/);
});

test('a wrong setting stops the emitter with one line naming the variable', async () => {
  for (const [env, message] of [
    [{ PIPELINE_CHANGES_PER_MINUTE: 'lots' }, /PIPELINE_CHANGES_PER_MINUTE=lots must be a number/],
    [{ DOJO_SCENARIO: 'no-such' }, /DOJO_SCENARIO: unknown scenario "no-such"/],
    [{ DOJO_SCENARIO_SINCE: 'yesterday' }, /DOJO_SCENARIO_SINCE=yesterday is not a time/],
  ] as const) {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 2);
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  }
});
