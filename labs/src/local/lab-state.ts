// The local lab's state: its directories (laid out by @dojo/course's labPaths) and what the supervisor reports.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabPaths } from '@dojo/course';

export function ensureLabDirs(paths: LabPaths): void {
  mkdirSync(paths.logsDir, { recursive: true });
}

/** Where the supervisor keeps the real scenario (0600) while a mystery runs, for the graders. */
export const mysteryFile = (stateDir: string) => join(stateDir, 'mystery.json');

/** The real scenario of the mystery the lab in `stateDir` runs; undefined when it cannot be read. */
export function mysteryScenario(stateDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(mysteryFile(stateDir), 'utf8')) as { scenario: string }).scenario;
  } catch {
    return undefined;
  }
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
