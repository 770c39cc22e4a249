// Which scenario the running lab is in, whichever way it runs: the local supervisor answers on its
// socket, or a kind cluster keeps it in a ConfigMap. Undefined when no lab is running. For the graders:
// under a mystery it is the real scenario, which the supervisor keeps in its state dir.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labPaths, mysteryId, seedFromEnv, UserError } from '@dojo/course';
import { readStatus } from './local/supervisor-client.ts';

/** The seed grading uses: DOJO_SEED, else the one the running local lab was started with. */
export async function runningSeed(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return seedFromEnv(env) ?? (await readStatus(labPaths(env)))?.seed;
}

export async function runningScenario(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const paths = labPaths(env);
  const local = await readStatus(paths);
  if (local?.scenario === mysteryId && local.phase !== 'failed') {
    try {
      return (JSON.parse(readFileSync(join(paths.stateDir, 'mystery.json'), 'utf8')) as { scenario: string })
        .scenario;
    } catch {
      throw new UserError(
        `the lab runs a mystery scenario, but ${paths.stateDir}/mystery.json cannot be read`,
      );
    }
  }
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
