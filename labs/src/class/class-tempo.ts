// The class Tempo: one Tempo for every learner, a tenant each (X-Scope-OrgID). Managed, it is the lab's
// store with multi-tenancy on, started detached on the class's ports and stopped by pid; or the
// instructor names a running Tempo (a real one with multitenancy_enabled: true) when creating the class.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portsFor, UserError } from '@dojo/course';
import { httpOk, processAlive, waitForExit } from '../local/managed-process.ts';
import { assertPortsFree } from '../port-guard.ts';
import { storeMain } from '../tempo-backend.ts';
import type { ClassState } from './roster.ts';

/** The URLs of a managed class store on DOJO_PORT_OFFSET `offset`. */
export function managedTempo(offset: number): ClassState['tempo'] {
  const ports = portsFor({ DOJO_PORT_OFFSET: String(offset) });
  return {
    url: `http://127.0.0.1:${ports.tempoHttp}`,
    otlp: `http://127.0.0.1:${ports.otlpHttp}`,
    managed: true,
    offset,
  };
}

const pidFile = (state: ClassState) => join(state.dir, 'tempo.pid');

const tempoAnswers = (url: string) => httpOk(`${url}/ready`, 2000);

export function managedPid(state: ClassState): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(state), 'utf8'));
    return pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the managed store unless it answers already; an unmanaged Tempo must answer. */
export async function classTempoUp(state: ClassState, say: (l: string) => void): Promise<void> {
  if (await tempoAnswers(state.tempo.url)) return;
  if (!state.tempo.managed)
    throw new UserError(`the class Tempo at ${state.tempo.url} does not answer; start it, then try again`);
  const ports = portsFor({ DOJO_PORT_OFFSET: String(state.tempo.offset) });
  await assertPortsFree(ports, ['tempoHttp', 'otlpHttp', 'otlpGrpc']);
  say(`› starting the class Tempo (the lab's store, one tenant per learner) on :${ports.tempoHttp}`);
  const log = openSync(join(state.dir, 'tempo.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      storeMain,
      '--multitenancy',
      `--http-port=${ports.tempoHttp}`,
      `--otlp-http-port=${ports.otlpHttp}`,
      `--otlp-grpc-port=${ports.otlpGrpc}`,
      // A class holds many labs' hour of traces at once.
      '--max-bytes=4GiB',
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  writeFileSync(pidFile(state), String(child.pid));
  const deadline = Date.now() + 30_000;
  while (!(await tempoAnswers(state.tempo.url))) {
    if (!processAlive(child.pid ?? 0) || Date.now() > deadline)
      throw new UserError(`the class Tempo did not start; see ${join(state.dir, 'tempo.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function classTempoDown(state: ClassState, say: (l: string) => void): Promise<void> {
  const pid = managedPid(state);
  if (!pid) {
    say('› the class Tempo is not running here');
    return;
  }
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 15_000))) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(state), { force: true });
  say('✔ class Tempo stopped');
}
