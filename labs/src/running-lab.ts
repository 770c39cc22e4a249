// Which scenario the running lab is in, whichever way it runs: the local supervisor answers on its
// socket, or a kind cluster keeps it in a ConfigMap. Undefined when no lab is running.
import { labPaths } from './local/lab-state.ts';
import { readStatus } from './local/supervisor-client.ts';

export async function runningScenario(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const local = await readStatus(labPaths(env));
  if (local) return local.phase === 'failed' ? undefined : local.scenario;
  const { kindAvailable } = await import('./kind/kind-lab.ts');
  if (!(await kindAvailable())) return undefined;
  try {
    const { activeScenario, KubeClient } = await import('./kind/index.ts');
    return await activeScenario(new KubeClient());
  } catch {
    // Docker and kind answer, but there is no dojo cluster: no lab.
    return undefined;
  }
}
