// Where a local lab keeps its state (pid, socket, logs): .dojo/ in the repo unless DOJO_STATE_DIR says otherwise.

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

export interface LabPaths {
  stateDir: string;
  logsDir: string;
  socket: string;
}

export function labPaths(env: NodeJS.ProcessEnv = process.env): LabPaths {
  const stateDir = env.DOJO_STATE_DIR || join(repoRoot, '.dojo');
  // Unix socket paths are limited to ~107 bytes; a deep checkout falls back to a hashed name in tmp.
  const preferred = join(stateDir, 'supervisor.sock');
  const socket =
    preferred.length < 100
      ? preferred
      : join(tmpdir(), `dojo-${createHash('sha1').update(stateDir).digest('hex').slice(0, 12)}.sock`);
  return { stateDir, logsDir: join(stateDir, 'logs'), socket };
}

export function ensureLabDirs(paths: LabPaths): void {
  mkdirSync(paths.logsDir, { recursive: true });
}

/** What the supervisor reports over its socket (GET /status). */
export interface LabStatus {
  mode: 'local';
  phase: 'starting' | 'running' | 'switching' | 'stopping' | 'failed';
  pid: number;
  scenario: string;
  /** the learner's seed (DOJO_SEED), which the tiers and the pipeline were started with */
  seed?: string;
  startedAt: string;
  tempoUrl: string;
  otlpEndpoint: string;
  webUrl: string;
  externalTempo: boolean;
  /** which Tempo serves the lab; version from its /api/status/buildinfo once it answers */
  tempo: { kind: 'store' | 'binary' | 'external'; path?: string; version?: string };
  loadgen: { enabled: boolean; rps: number };
  components: ComponentStatus[];
  progress: string[];
  error?: string;
}

export interface ComponentStatus {
  name: string;
  state: 'stopped' | 'starting' | 'ready' | 'crashed' | 'external';
  pid?: number;
  port?: number;
  url?: string;
  restarts: number;
  log?: string;
}
