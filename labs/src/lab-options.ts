// `lab up`'s flags and environment turned into LabOptions once: every setting a user can get wrong is
// checked here, before a process starts, and the scenario is looked up here and nowhere after.
import {
  checkHttpUrl,
  findScenario,
  loadCatalog,
  pickMystery,
  practicalFromEnv,
  seededPick,
  seedFromEnv,
  UserError,
} from '@dojo/course';
import type { LabOptions, TempoChoice } from './lab.ts';
import { chooseTempo } from './tempo-backend.ts';

/** `lab up`'s flags as the CLI parsed them. */
export interface LabUpFlags {
  scenario?: string | undefined;
  mystery?: boolean | undefined;
  'no-load'?: boolean | undefined;
  rps?: string | undefined;
  'external-tempo'?: boolean | undefined;
}

export function parseRps(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (raw === undefined) return Number(env.LOADGEN_RPS ?? 2);
  const rps = Number(raw);
  if (!Number.isFinite(rps) || rps <= 0 || rps > 200)
    throw new UserError(`--rps must be a number from 0.1 to 200, got "${raw}"`);
  return rps;
}

/** --external-tempo: both URLs must be set and be http(s) URLs. */
function externalTempo(env: NodeJS.ProcessEnv): TempoChoice {
  const tempoUrl = env.TEMPO_URL;
  const otlpEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!tempoUrl || !otlpEndpoint)
    throw new UserError(
      '--external-tempo needs TEMPO_URL and OTEL_EXPORTER_OTLP_ENDPOINT to name the running Tempo',
    );
  checkHttpUrl('TEMPO_URL', tempoUrl);
  checkHttpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', otlpEndpoint);
  return { kind: 'external', tempoUrl, otlpEndpoint };
}

export function checkMode(mode: string | undefined): void {
  if (mode !== undefined && mode !== 'local' && mode !== 'kind')
    throw new UserError(`--mode must be kind or local, got "${mode}"`);
}

/** The scenario `lab up` was told to run: --scenario, else DOJO_SCENARIO; undefined when neither says. */
export function namedScenario(flags: LabUpFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flags.scenario ?? (env.DOJO_SCENARIO || undefined);
}

/**
 * The scenario named (DOJO_SCENARIO when no flag names one) or healthy; with --mystery and none named, a
 * broken one picked by the learner's seed.
 */
export function labOptions(flags: LabUpFlags, env: NodeJS.ProcessEnv = process.env): LabOptions {
  const named = namedScenario(flags, env);
  const mystery = Boolean(flags.mystery);
  const scenario =
    mystery && !named
      ? pickMystery(loadCatalog().scenarios, seededPick(seedFromEnv(env)))
      : findScenario(named ?? 'healthy');
  const rps = parseRps(flags.rps, env);
  const tempo = flags['external-tempo'] ? externalTempo(env) : chooseTempo(env);
  const practical = practicalFromEnv(env);
  return {
    scenario,
    mystery,
    loadgen: !flags['no-load'],
    rps,
    tempo,
    ...(practical ? { practical } : {}),
  };
}
