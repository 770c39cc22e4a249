// The one interface both ways of running the lab implement (local processes: local/local-lab.ts; a kind
// cluster: kind/kind-lab.ts). Commands pick an implementation once (which-lab.ts) and talk only to it.
import type { Progress, Scenario } from '@dojo/course';
import type { PracticalRun } from './local/practical-processes.ts';
import type { TempoBackend } from './tempo-backend.ts';

/** Where traces go: the lab's own store, a Tempo binary (DOJO_TEMPO_BIN), or a Tempo already running. */
export type TempoChoice = TempoBackend | { kind: 'external'; tempoUrl: string; otlpEndpoint: string };

/**
 * What `lab up` was asked for, checked once before anything starts (lab-options.ts). The local lab hands
 * it to its supervisor process as JSON unchanged; the kind lab uses the scenario.
 */
export interface LabOptions {
  scenario: Scenario;
  /** run the scenario without naming it: status, logs and spans say "mystery" */
  mystery: boolean;
  loadgen: boolean;
  rps: number;
  tempo: TempoChoice;
  /** the practical's shipping service and carrier stub (DOJO_PRACTICAL); a Python one's venv is made at up */
  practical?: PracticalRun;
}

/** A lab's state as `lab status` shows it and `lab status --json` prints it, in the same fields on both paths. */
export interface LabReport {
  mode: 'local' | 'kind';
  phase: 'starting' | 'running' | 'switching' | 'stopping' | 'failed';
  /** the scenario id, "mystery" while one runs, or null when the lab does not say */
  scenario: string | null;
  webUrl: string;
  tempoUrl: string;
  otlpEndpoint: string;
  grafanaUrl?: string;
  seed?: string;
  startedAt?: string;
  tempo?: { kind: 'store' | 'binary' | 'external'; path?: string; version?: string };
  loadgen?: { enabled: boolean; rps: number };
  components: LabComponent[];
}

export interface LabComponent {
  name: string;
  state: string;
  pid?: number;
  port?: number;
  url?: string;
  restarts?: number;
  /** kind: ready replicas of wanted ("1/1") */
  detail?: string;
}

export interface Lab {
  readonly mode: 'local' | 'kind';
  /** starts the lab (or finds it already running) and reports it */
  up(options: LabOptions, progress: Progress): Promise<LabReport>;
  /** stops it; no lab is not an error */
  down(progress: Progress): Promise<void>;
  /** its state; a UserError when no lab of this kind is running */
  status(): Promise<LabReport>;
  /** the scenario the lab runs as it names it ("mystery" while one runs); undefined when none runs */
  activeScenario(): Promise<string | undefined>;
  setScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport>;
  /** the scenario again (or another) with Tempo emptied */
  resetScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport>;
  /** where the shop, Tempo and the OTLP receiver answer */
  endpoints(): Promise<Pick<LabReport, 'webUrl' | 'tempoUrl' | 'otlpEndpoint' | 'grafanaUrl'>>;
}
