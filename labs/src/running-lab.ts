// What the graders ask of the running lab (graders' RunningLab), whichever way it runs: the scenario (under
// a mystery the real one, which the local supervisor keeps in its state dir) and the learner's seed.
// Undefined when no lab is running.

import { labPaths, mysteryId, seedFromEnv, UserError } from '@dojo/course';
import { mysteryFile, mysteryScenario } from './local/lab-state.ts';
import { readStatus } from './local/supervisor-client.ts';
import { runningLab } from './which-lab.ts';

/** The seed grading uses: DOJO_SEED, else the one the running local lab was started with. */
export async function runningSeed(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return seedFromEnv(env) ?? (await readStatus(labPaths(env)))?.seed;
}

export async function runningScenario(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  // A kind cluster that is not the dojo's (or none) has no scenario to tell.
  const active = await runningLab(env)
    .then((lab) => lab.activeScenario())
    .catch(() => undefined);
  if (active !== mysteryId) return active;
  const { stateDir } = labPaths(env);
  const real = mysteryScenario(stateDir);
  if (real === undefined)
    throw new UserError(`the lab runs a mystery scenario, but ${mysteryFile(stateDir)} cannot be read`);
  return real;
}
