// The local lab as the CLI sees it (the Lab interface): start the supervisor detached and follow its
// progress, stop it, report status and switch scenarios through its socket.

import { spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LabPaths,
  labPaths,
  type Ports,
  type Progress,
  portsFor,
  type Scenario,
  UserError,
} from '@dojo/course';
import type { Lab, LabOptions, LabReport } from '../lab.ts';
import { assertPortsFree, waitPortsFree } from '../port-guard.ts';
import { pythonForService } from '../practical-python.ts';
import { ensureLabDirs, type LabStatus } from './lab-state.ts';
import { processAlive, waitForExit } from './managed-process.ts';
import { callSupervisor, readStatus } from './supervisor-client.ts';

const supervisorMain = fileURLToPath(new URL('./supervisor-main.ts', import.meta.url));
const notRunning = 'the lab is not running; start it with `make lab-up`';

function labPortNames(tempo: LabStatus['tempo']['kind'], practical = false): (keyof Ports)[] {
  const app: (keyof Ports)[] = [
    'web',
    'api',
    'payments',
    'netproxy',
    'postgres',
    ...(practical ? (['shipping', 'carrier'] as const) : []),
  ];
  if (tempo === 'external') return app;
  const served: (keyof Ports)[] = [...app, 'tempoHttp', 'otlpGrpc', 'otlpHttp'];
  // Only a real Tempo opens its internal gRPC and memberlist ports.
  return tempo === 'binary' ? [...served, 'tempoGrpcInternal', 'tempoMemberlist'] : served;
}

async function startSupervisor(
  options: LabOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  progress: Progress,
): Promise<LabStatus> {
  const paths = labPaths(env);
  const running = await readStatus(paths);
  if (running && running.phase !== 'failed') {
    progress(`› the lab is already running (scenario ${running.scenario}); nothing to start`);
    return running;
  }
  const ports = portsFor(env);
  // Everything that can fail for a user's reason fails here (or in labOptions), before a process starts.
  const { practical } = options;
  await assertPortsFree(ports, labPortNames(options.tempo.kind, Boolean(practical)));
  // A Python shipping service runs in a virtual environment holding its requirements (made once).
  const python =
    practical?.language === 'python' ? await pythonForService(practical.dir, progress, env) : undefined;
  const supervised: LabOptions = {
    ...options,
    ...(practical ? { practical: { ...practical, ...(python ? { python } : {}) } } : {}),
  };
  ensureLabDirs(paths);
  const supervisorLog = openSync(join(paths.logsDir, 'supervisor.log'), 'a');
  const child = spawn(process.execPath, [supervisorMain], {
    detached: true,
    stdio: ['ignore', supervisorLog, supervisorLog],
    env: { ...env, DOJO_SUPERVISOR_OPTIONS: JSON.stringify(supervised) },
  });
  child.unref();
  return followStartup(paths, child.pid ?? 0, timeoutMs, progress);
}

async function followStartup(paths: LabPaths, pid: number, timeoutMs: number, progress: Progress) {
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  let last: LabStatus | undefined;
  while (Date.now() < deadline) {
    const status = await readStatus(paths);
    if (status) {
      last = status;
      for (const line of status.progress.slice(shown)) progress(line);
      shown = status.progress.length;
      if (status.phase === 'running') return status;
      if (status.phase === 'failed') {
        await waitForExit(pid, 15_000);
        throw new UserError(`lab start failed: ${status.error ?? 'unknown error'}; logs in ${paths.logsDir}`);
      }
    } else if (!processAlive(pid)) {
      throw new UserError(
        `lab supervisor exited during start-up; see ${join(paths.logsDir, 'supervisor.log')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stopSupervisor(paths, pid);
  throw new UserError(
    `lab did not start within ${Math.round(timeoutMs / 1000)} s (last step: ${last?.progress.at(-1) ?? 'none'}); it was stopped`,
  );
}

function supervisorPid(paths: LabPaths): number {
  try {
    return Number(readFileSync(join(paths.stateDir, 'supervisor.pid'), 'utf8'));
  } catch {
    return 0;
  }
}

async function stopSupervisor(paths: LabPaths, pid: number): Promise<void> {
  await callSupervisor(paths, 'POST', '/stop').catch(() => {
    if (processAlive(pid)) process.kill(pid, 'SIGTERM');
  });
  if (!(await waitForExit(pid, 30_000)) && processAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Stops the lab; returns what it stopped. Idempotent: no lab is not an error. */
async function stopLab(progress: Progress, env: NodeJS.ProcessEnv): Promise<boolean> {
  const paths = labPaths(env);
  const status = await readStatus(paths);
  const pid = status?.pid ?? supervisorPid(paths);
  if (!status && !processAlive(pid)) {
    rmSync(paths.socket, { force: true });
    progress('› no local lab is running');
    return false;
  }
  progress('› stopping the local lab (tiers, Tempo, PostgreSQL)');
  await stopSupervisor(paths, pid);
  const ports = portsFor(env);
  const taken = await waitPortsFree(
    labPortNames(
      status?.tempo?.kind ?? (status?.externalTempo ? 'external' : 'binary'),
      Boolean(status?.components.some((c) => c.name === 'shipping')),
    ).map((n) => ports[n]),
    10_000,
  );
  if (taken.length > 0) throw new UserError(`lab stopped but ports ${taken.join(', ')} are still in use`);
  progress('✔ lab stopped; ports freed and temporary data removed');
  return true;
}

async function labStatus(env: NodeJS.ProcessEnv): Promise<LabStatus> {
  const status = await readStatus(labPaths(env));
  if (!status) throw new UserError(notRunning);
  return status;
}

async function switchScenario(
  id: string,
  reset: boolean,
  mystery: boolean,
  progress: Progress,
  env: NodeJS.ProcessEnv,
): Promise<LabStatus> {
  const paths = labPaths(env);
  const before = await readStatus(paths);
  if (!before) throw new UserError(notRunning);
  progress(
    `› ${reset ? 'resetting' : 'switching to'} ${mystery ? 'a mystery scenario' : `scenario ${id}`}: restarting the tiers${reset ? ' and emptying Tempo' : ''}`,
  );
  let shown = before.progress.length;
  const poll = setInterval(() => {
    void readStatus(paths).then((s) => {
      if (!s) return;
      for (const line of s.progress.slice(shown)) progress(`  ${line}`);
      shown = s.progress.length;
    });
  }, 500);
  try {
    const { status, body } = await callSupervisor<{ error?: string }>(
      paths,
      'POST',
      '/scenario',
      { id, reset, mystery },
      180_000,
    );
    if (status !== 200) throw new UserError(`scenario switch failed: ${body.error ?? `status ${status}`}`);
  } finally {
    clearInterval(poll);
  }
  const after = await labStatus(env);
  for (const line of after.progress.slice(shown)) progress(`  ${line}`);
  return after;
}

/** The local lab: real processes on this machine, under one supervisor, in DOJO_STATE_DIR. */
export class LocalLab implements Lab {
  readonly mode = 'local' as const;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;

  constructor(env: NodeJS.ProcessEnv = process.env, timeoutMs = 180_000) {
    this.env = env;
    this.timeoutMs = timeoutMs;
  }

  up(options: LabOptions, progress: Progress): Promise<LabReport> {
    return startSupervisor(options, this.env, this.timeoutMs, progress);
  }

  async down(progress: Progress): Promise<void> {
    await stopLab(progress, this.env);
  }

  status(): Promise<LabReport> {
    return labStatus(this.env);
  }

  async activeScenario(): Promise<string | undefined> {
    const status = await readStatus(labPaths(this.env));
    return status && status.phase !== 'failed' ? status.scenario : undefined;
  }

  setScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport> {
    return switchScenario(scenario.id, false, mystery, progress, this.env);
  }

  resetScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport> {
    return switchScenario(scenario.id, true, mystery, progress, this.env);
  }

  async endpoints() {
    const { webUrl, tempoUrl, otlpEndpoint } = await this.status();
    return { webUrl, tempoUrl, otlpEndpoint };
  }
}
