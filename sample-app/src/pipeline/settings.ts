// The pipeline emitter's settings, from the environment the local supervisor or the kind manifest gives
// it. A wrong value stops it with one line naming the variable.
import { findScenario, UserError } from '@dojo/course';

/** A scenario and the moment it went live (ISO 8601), which is what the deploy's trace ids derive from. */
export interface ScenarioState {
  id: string;
  since: string;
}

export interface PipelineSettings {
  /** PIPELINE_CHANGES_PER_MINUTE: background changes finishing per minute (0: only the lab's own deploys) */
  changesPerMinute: number;
  /** PIPELINE_SEED: makes the simulated changes repeatable */
  seed: number | undefined;
  /** DOJO_SCENARIO and DOJO_SCENARIO_SINCE */
  current: ScenarioState;
  /** DOJO_PREVIOUS_SCENARIO(_SINCE): set when the lab switched scenario, so the emitter reports the switch;
   *  absent on a fresh lab or an emptied store, when the emitter replays the recent past instead */
  previous: ScenarioState | undefined;
  environment: string;
}

function instant(name: string, raw: string | undefined, fallback: string): string {
  if (!raw) return fallback;
  if (Number.isNaN(Date.parse(raw)))
    throw new UserError(`${name}=${raw} is not a time; use ISO 8601, like 2025-06-01T10:00:00Z`);
  return raw;
}

function scenario(name: string, raw: string): string {
  try {
    return findScenario(raw).id;
  } catch (e) {
    throw new UserError(`${name}: ${(e as Error).message}`);
  }
}

export function readPipelineSettings(
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): PipelineSettings {
  const rawRate = env.PIPELINE_CHANGES_PER_MINUTE?.trim();
  const changesPerMinute = rawRate ? Number(rawRate) : 3;
  if (!Number.isFinite(changesPerMinute) || changesPerMinute < 0 || changesPerMinute > 600)
    throw new UserError(`PIPELINE_CHANGES_PER_MINUTE=${rawRate} must be a number from 0 to 600 (default 3)`);
  const rawSeed = env.PIPELINE_SEED?.trim();
  if (rawSeed && !/^\d{1,9}$/.test(rawSeed))
    throw new UserError(`PIPELINE_SEED=${rawSeed} must be a whole number`);
  const current = {
    id: scenario('DOJO_SCENARIO', env.DOJO_SCENARIO || 'healthy'),
    since: instant('DOJO_SCENARIO_SINCE', env.DOJO_SCENARIO_SINCE, now.toISOString()),
  };
  const previousId = env.DOJO_PREVIOUS_SCENARIO?.trim();
  const previous = previousId
    ? {
        id: scenario('DOJO_PREVIOUS_SCENARIO', previousId),
        since: instant('DOJO_PREVIOUS_SCENARIO_SINCE', env.DOJO_PREVIOUS_SCENARIO_SINCE, current.since),
      }
    : undefined;
  return {
    changesPerMinute,
    seed: rawSeed ? Number(rawSeed) : undefined,
    current,
    previous,
    environment: env.DOJO_ENVIRONMENT ?? 'lab',
  };
}
