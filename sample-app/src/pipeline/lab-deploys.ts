// The deploys of the shop's own tiers, as the lab's scenario switches make them: a broken scenario is a
// deploy of the tier it breaks; returning to healthy rolls that deploy back, inside the deploy's own trace.
import { labReleases, releaseOf } from '@dojo/course';
import { ChangeSource, labRunId } from './changes.ts';
import { deployIds } from './ids.ts';
import { type PlannedTrace, planChange, rollbackSpan } from './plan.ts';
import { seededRandom, seedOf } from './random.ts';
import type { ScenarioState } from './settings.ts';

export interface LabDeploy {
  plan: PlannedTrace;
  /** one line for the emitter's log */
  what: string;
}

const isBaseline = (service: string, revision: string) => releaseOf(service, 'healthy').revision === revision;

/** A scenario's deploy of a tier: clean, with the ids a later switch back to healthy will find again. */
function scenarioDeploy(
  source: ChangeSource,
  service: string,
  state: ScenarioState,
  previousScenario: string,
): LabDeploy {
  const release = releaseOf(service, state.id);
  const before = releaseOf(service, previousScenario);
  const change = source.release(release, Date.parse(state.since), {
    version: before.version,
    revision: before.revision,
  });
  const plan = planChange(
    { ...change, ids: deployIds(release.revision, state.since) },
    seededRandom(seedOf(`${release.revision}@${state.since}`)),
  );
  return { plan, what: `deploy of ${service} ${release.version} (${release.revision.slice(0, 7)})` };
}

/**
 * What to emit for the shop's tiers when the emitter starts. Without a previous scenario (a fresh lab, or
 * an emptied store) every tier's baseline release is replayed as deployed before `replayFromMs`, then the
 * active scenario's deploy; after a switch, only what changed: a new deploy, or the rollback of the old one.
 */
export function labDeploys(
  source: ChangeSource,
  current: ScenarioState,
  previous: ScenarioState | undefined,
  nowMs: number,
  replayFromMs: number,
): LabDeploy[] {
  const out: LabDeploy[] = [];
  for (const release of labReleases(current.id)) {
    const { service } = release;
    if (!previous) {
      const base = ChangeSource.baselineOf(service);
      const seed = seedOf(`${base.revision}@${replayFromMs}`);
      out.push({
        plan: planChange(source.release(base, replayFromMs), seededRandom(seed)),
        what: `deploy of ${service} ${base.version} (${base.revision.slice(0, 7)})`,
      });
      if (!isBaseline(service, release.revision))
        out.push(scenarioDeploy(source, service, current, 'healthy'));
      continue;
    }
    const before = releaseOf(service, previous.id);
    if (before.revision === release.revision) continue;
    if (!isBaseline(service, release.revision)) {
      out.push(scenarioDeploy(source, service, current, previous.id));
      continue;
    }
    // Back to the baseline: the previous scenario's deploy is rolled back, below that deploy's span.
    const ids = deployIds(before.revision, previous.since);
    const liveMs = Date.parse(previous.since);
    const restoredMs = Math.max(liveMs, Math.min(nowMs, Date.parse(current.since)));
    out.push({
      plan: {
        traceId: ids.traceId,
        parentSpanId: ids.deploySpanId,
        root: rollbackSpan(
          {
            ...before,
            runId: labRunId(liveMs),
            previous: { version: release.version, revision: release.revision },
          },
          liveMs,
          restoredMs,
          restoredMs - liveMs,
          'the lab returned to healthy',
        ),
      },
      what: `rollback of ${service} ${before.version} to ${release.version}`,
    });
  }
  return out;
}
