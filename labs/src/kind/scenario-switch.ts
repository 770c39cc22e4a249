// Instructor commands on kind, through the Kubernetes API: switch the scenario (patch the ConfigMap,
// restart the tiers) and reset it (also restart Tempo, whose memory-backed storage then starts empty).

import { findScenario, type Progress, type Scenario, UserError } from '@dojo/course';
import { KubeClient } from './k8s-http.ts';
import { type WaitOptions, waitForRollouts } from './kind-lab.ts';
import {
  appTiers,
  type K8sObject,
  namespace,
  pipelineWorkload,
  renderManifests,
  type ScenarioRollout,
  scenarioConfigMap,
} from './manifests.ts';

export const restartAnnotation = 'tracing-dojo/restarted-at';

/** Restarts a Deployment the way `kubectl rollout restart` does: a new pod-template annotation. */
export async function restartDeployment(client: KubeClient, name: string, at: string): Promise<K8sObject> {
  return client.mergePatch('Deployment', name, namespace, {
    spec: { template: { metadata: { annotations: { [restartAnnotation]: at } } } },
  });
}

export interface SwitchResult {
  scenario: string;
  restarted: string[];
}

/**
 * Sets the scenario and restarts what reads it. Idempotent: repeating it restarts again (a clean
 * slate) but never leaves two scenarios half-applied. `wait` follows the rollouts (skipped when no
 * kubelet runs pods, as in the API-server tests).
 */
export async function switchScenario(
  client: KubeClient,
  scenario: Scenario,
  options: { reset: boolean; progress: Progress; wait?: (deployments: string[]) => Promise<void> },
): Promise<SwitchResult> {
  const { id } = scenario;
  const configMap = renderManifests(id, await nextRollout(client, id, options.reset)).find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === scenarioConfigMap,
  )!;
  options.progress(`› setting scenario ${id} (ConfigMap ${scenarioConfigMap})`);
  await client.apply(configMap);
  const at = new Date().toISOString();
  const restarted = [...(options.reset ? ['tempo'] : []), ...appTiers, pipelineWorkload];
  for (const name of restarted) {
    options.progress(`› restarting ${name}`);
    await restartDeployment(client, name, at);
  }
  if (options.wait) await options.wait(restarted);
  return { scenario: id, restarted };
}

/**
 * What the pipeline emitter is told (the local supervisor decides the same way): after an emptied Tempo it
 * replays the recent past; a switch is one deploy; the same scenario again changes nothing.
 */
async function nextRollout(client: KubeClient, id: string, reset: boolean): Promise<ScenarioRollout> {
  const now = new Date().toISOString();
  const cm = await client.get<{ data?: Record<string, string> }>('ConfigMap', scenarioConfigMap, namespace);
  const before = cm?.data?.DOJO_SCENARIO;
  if (reset || !before) return { since: now };
  const previous = { id: before, since: cm?.data?.DOJO_SCENARIO_SINCE ?? now };
  return before === id ? { since: previous.since, previous } : { since: now, previous };
}

export async function activeScenario(client: KubeClient): Promise<string | undefined> {
  const cm = await client.get<{ data?: Record<string, string> }>('ConfigMap', scenarioConfigMap, namespace);
  return cm?.data?.DOJO_SCENARIO;
}

/** `dojo scenario set <id>` on kind: switch, then follow the restarted tiers' rollouts. */
export async function kindScenarioSet(
  scenario: Scenario,
  progress: Progress,
  client = new KubeClient(),
  wait: WaitOptions = {},
): Promise<SwitchResult> {
  return switchScenario(client, scenario, {
    reset: false,
    progress,
    wait: (names) => waitForRollouts(client, names, progress, wait),
  });
}

/** `dojo scenario reset` on kind: the active scenario again, with Tempo restarted so traces start empty. */
export async function kindScenarioReset(
  progress: Progress,
  client = new KubeClient(),
  wait: WaitOptions = {},
): Promise<SwitchResult> {
  const id = await activeScenario(client);
  if (!id)
    throw new UserError(
      `no ${scenarioConfigMap} ConfigMap in namespace ${namespace}: the kind lab is not up (\`make lab-up\`)`,
    );
  return switchScenario(client, findScenario(id), {
    reset: true,
    progress,
    wait: (names) => waitForRollouts(client, names, progress, wait),
  });
}
