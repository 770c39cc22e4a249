// An exam dataset: one graded run's traffic in a learner's tenant, so every Lab 2 question is gradable at
// once. It holds the recorded traffic of every recorded scenario (real requests of the app, rebased to
// the last minutes, fresh ids; the tiers' releases moved to the learner's seed) and the delivery pipeline's
// traces from the real emitter run with the learner's seed, slow-query deployed. The grader adds each
// question's designed traces itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCatalog, releaseOf, UserError, variantOf } from '@dojo/course';
import { pushTraces, recordedScenarios, replayWindow, type Segment, TempoClient } from '@dojo/graders';
import { type ClassState, type Learner, tenantOf } from './roster.ts';

export interface DatasetOptions {
  /** minutes of traffic per recorded scenario */
  minutes: number;
  /** shopper requests per second in the replay */
  rps: number;
  now?: number;
}

type Attr = { key: string; value: { stringValue?: string } };

/** The recorded (unseeded) commit of each tier in each scenario → the learner's. */
function seededRevisions(seed: string): Map<string, string> {
  const catalog = loadCatalog();
  const map = new Map<string, string>();
  for (const s of catalog.scenarios)
    for (const tier of Object.keys(catalog.releases.baseline))
      map.set(
        releaseOf(tier, s.id, catalog, undefined).revision,
        releaseOf(tier, s.id, catalog, seed).revision,
      );
  return map;
}

/** Replays the recorded scenarios back to back, ending `settle` before now, into the learner's tenant. */
async function pushRecordedTraffic(
  state: ClassState,
  l: Learner,
  o: DatasetOptions,
): Promise<{ from: number; spans: number }> {
  const end = (o.now ?? Date.now()) - 20_000;
  const span = o.minutes * 60_000;
  const from = end - span * recordedScenarios.length;
  const segments: Segment[] = recordedScenarios.map((scenario, i) => ({
    scenario,
    startMs: from + i * span,
    endMs: from + (i + 1) * span,
  }));
  const revisions = seededRevisions(l.seed);
  const requests = replayWindow(segments, { rps: o.rps, seed: variantOf(l.seed).customer });
  let spans = 0;
  for (let k = 0; k < requests.length; k += 100) {
    const resourceSpans = requests.slice(k, k + 100).flatMap((r) => r.spans);
    for (const rs of resourceSpans) {
      // A copy: the recording's resources are shared by every replay of it (other learners' too).
      rs.resource = {
        attributes: (rs.resource.attributes as Attr[]).map((a) => {
          const moved = a.key === 'vcs.ref.head.revision' && revisions.get(a.value.stringValue ?? '');
          return moved ? { key: a.key, value: { stringValue: moved } } : a;
        }),
      };
      for (const ss of rs.scopeSpans) spans += ss.spans.length;
    }
    await pushTraces(state.tempo.otlp, { resourceSpans }, tenantOf(l));
  }
  return { from, spans };
}

const emitterMain = fileURLToPath(new URL('pipeline/main.ts', import.meta.resolve('@dojo/sample-app')));

/** The real pipeline emitter, run with the learner's seed until slow-query's deploy is in their tenant. */
async function pushPipeline(state: ClassState, l: Learner): Promise<void> {
  const tenant = tenantOf(l);
  const catalog = loadCatalog();
  const sha = releaseOf('api', 'slow-query', catalog, l.seed).revision;
  const child = spawn(process.execPath, [emitterMain], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: state.tempo.otlp,
      OTEL_EXPORTER_OTLP_HEADERS: `X-Scope-OrgID=${tenant}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PIPELINE_CHANGES_PER_MINUTE: '3',
      PIPELINE_SEED: String(variantOf(l.seed).customer),
      DOJO_SEED: l.seed,
      DOJO_SCENARIO: 'slow-query',
      DOJO_SCENARIO_SINCE: new Date(Date.now() - 8 * 60_000).toISOString(),
    },
    stdio: 'ignore',
  });
  try {
    const tempo = new TempoClient(state.tempo.url, 10_000, tenant);
    const deploy = `{ span.cicd.pipeline.task.name = "deploy-production" && span.vcs.ref.head.revision = "${sha}" }`;
    const deadline = Date.now() + 60_000;
    let roots = -1;
    for (;;) {
      const window = { start: Date.now() / 1000 - 3600, end: Date.now() / 1000 + 1, limit: 1000 };
      const now = (await tempo.search('{ resource.service.name = "jenkins" && kind = server }', window))
        .length;
      // The replay is in once the deploy is searchable and the number of pipeline runs stops growing.
      if (now === roots && (await tempo.search(deploy, window)).length > 0) return;
      roots = now;
      if (Date.now() > deadline)
        throw new UserError(`the pipeline traces of ${l.id} did not reach the class Tempo`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/** Loads the learner's exam dataset; answers when it starts (the grading window must reach it). */
export async function loadExamDataset(
  state: ClassState,
  l: Learner,
  o: DatasetOptions,
): Promise<{ from: number; spans: number }> {
  const recorded = await pushRecordedTraffic(state, l, o);
  await pushPipeline(state, l);
  return recorded;
}
