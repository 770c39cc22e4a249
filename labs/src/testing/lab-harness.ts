// Runs the real `dojo` CLI against a second, isolated lab (own ports, state dir and cache) for tests and
// benchmarks (other workspaces import it as @dojo/labs/testing). The lab runs the Tempo `dojo lab up`
// chooses: the lab's own store, or a real Tempo when DOJO_TEMPO_BIN is set — so nothing skips for want of one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portsFor } from '@dojo/course';
import { runDojo } from '../dojo-bin.ts';
import { ManagedProcess } from '../local/managed-process.ts';
import { tempoProcessSpec } from '../local/tempo-process.ts';
import { portIsFree } from '../port-guard.ts';
import { chooseTempo, describeTempo } from '../tempo-backend.ts';

export { type CliResult, dojoBin, runDojo } from '../dojo-bin.ts';

/** A port offset whose every lab port is free right now. */
export async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 40; attempt++) {
    // Every lab port (up to 9095 + offset) stays below the kernel's ephemeral range (32768+), where an
    // outgoing connection could take it between our check and the lab's start.
    const offset = 12000 + Math.floor(Math.random() * 110) * 100;
    const ports = Object.values(portsFor({ DOJO_PORT_OFFSET: String(offset) }));
    if ((await Promise.all(ports.map((p) => portIsFree(p)))).every(Boolean)) return offset;
  }
  throw new Error('no free port offset found');
}

export interface IsolatedLab {
  env: NodeJS.ProcessEnv;
  offset: number;
  stateDir: string;
  cleanup: () => Promise<void>;
}

export async function isolatedLab(extraEnv: NodeJS.ProcessEnv = {}): Promise<IsolatedLab> {
  const offset = await freeOffset();
  const stateDir = mkdtempSync(join(tmpdir(), 'dojo-test-state-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOJO_PORT_OFFSET: String(offset),
    DOJO_STATE_DIR: stateDir,
    NO_COLOR: '1',
    ...extraEnv,
  };
  return {
    env,
    offset,
    stateDir,
    cleanup: async () => {
      await runDojo(['lab', 'down'], env, 60_000);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Which Tempo an isolated lab runs, for test names and reports; a bad DOJO_TEMPO_BIN stops the run. */
export function tempoUnderTest(env: NodeJS.ProcessEnv = process.env): string {
  return describeTempo(chooseTempo(env));
}

export interface TempoUnderTest {
  /** what runs: the lab's store, or the real Tempo of DOJO_TEMPO_BIN */
  name: string;
  tempoUrl: string;
  otlpHttpUrl: string;
  stop: () => Promise<void>;
}

/**
 * Tempo alone, started exactly as the lab's supervisor starts it (the store, or DOJO_TEMPO_BIN's binary
 * with the lab's config) on free ports: for tests whose data is pushed over OTLP rather than made by a lab.
 */
export async function startTempo(env: NodeJS.ProcessEnv = process.env): Promise<TempoUnderTest> {
  const ports = portsFor({ DOJO_PORT_OFFSET: String(await freeOffset()) });
  const dataRoot = mkdtempSync(join(tmpdir(), 'dojo-test-tempo-'));
  const tempoUrl = `http://127.0.0.1:${ports.tempoHttp}`;
  const backend = chooseTempo(env);
  const tempo = new ManagedProcess(
    tempoProcessSpec(backend, { ports, dataRoot, logsDir: dataRoot, url: tempoUrl, env }),
  );
  await tempo.start(60_000);
  return {
    name: describeTempo(backend),
    tempoUrl,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    stop: async () => {
      await tempo.stop();
      tempo.closeLog();
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}
