// Which lab a command talks to, decided once per command: the local lab when its supervisor answers, else
// a kind cluster when Docker and kind are here, else the local lab (which then says it is not running).
import { labPaths, UserError } from '@dojo/course';
import { kindAvailable, kindNeeds } from './kind/kind-lab.ts';
import type { Lab } from './lab.ts';
import { checkMode } from './lab-options.ts';
import { LocalLab } from './local/local-lab.ts';
import { readStatus } from './local/supervisor-client.ts';

async function kindLab(): Promise<Lab> {
  const { KindLab } = await import('./kind/kind-cluster-lab.ts');
  return new KindLab();
}

/** The lab that runs now, for down, status and scenario switches. */
export async function runningLab(env: NodeJS.ProcessEnv = process.env): Promise<Lab> {
  if (await readStatus(labPaths(env))) return new LocalLab(env);
  return (await kindAvailable()) ? kindLab() : new LocalLab(env);
}

/**
 * The lab `lab up` starts: the one asked for with --mode, else the local lab that already runs, else kind
 * (the course's main path) when it can run here, else the local lab.
 */
export async function labToStart(
  mode: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Lab> {
  checkMode(mode);
  if (mode === 'local' || (mode === undefined && (await readStatus(labPaths(env))))) return new LocalLab(env);
  const kind = await kindAvailable();
  if (mode === 'kind' && !kind) throw new UserError(kindNeeds);
  return kind ? kindLab() : new LocalLab(env);
}
