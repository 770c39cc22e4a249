// A learner's lab in class mode: the ordinary local lab, run on the instructor's machine through the dojo
// CLI itself, with its own ports and state folder, exporting to the learner's tenant of the class Tempo and
// started with the learner's seed. The same environment is what `dojo class env <id>` prints, so anything
// an instructor runs as that learner (dojo query, dojo grade) sees only that learner's traces.

import { labPaths, mysteryId } from '@dojo/course';
import { runDojo } from '../dojo-bin.ts';
import { type LabStatus, mysteryScenario } from '../local/lab-state.ts';
import { readStatus } from '../local/supervisor-client.ts';
import { type ClassState, type Learner, stateDirOf, tenantOf } from './roster.ts';

export function learnerEnv(
  state: ClassState,
  l: Learner,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const tenant = tenantOf(l);
  return {
    ...base,
    DOJO_PORT_OFFSET: String(l.offset),
    DOJO_STATE_DIR: stateDirOf(state, l),
    DOJO_SEED: l.seed,
    TEMPO_URL: state.tempo.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: state.tempo.otlp,
    OTEL_EXPORTER_OTLP_HEADERS: `X-Scope-OrgID=${tenant}`,
    DOJO_TEMPO_TENANT: tenant,
    NO_COLOR: '1',
  };
}

/** The variables to run dojo as this learner, as shell lines. */
export function envLines(state: ClassState, l: Learner): string[] {
  const env = learnerEnv(state, l, {});
  return Object.entries(env)
    .filter(([k]) => k !== 'NO_COLOR')
    .map(([k, v]) => `export ${k}='${v}'`);
}

export interface CliRun {
  code: number;
  out: string;
}

/** Runs `dojo <args>` as the learner; its output (stdout, then stderr, so a failure's line comes last). */
export async function dojoAs(
  state: ClassState,
  l: Learner,
  args: string[],
  timeoutMs = 300_000,
): Promise<CliRun> {
  const { code, stdout, stderr } = await runDojo(args, learnerEnv(state, l), timeoutMs);
  return { code, out: `${stdout}${stderr}` };
}

export function labOf(state: ClassState, l: Learner): Promise<LabStatus | undefined> {
  return readStatus(labPaths({ DOJO_STATE_DIR: stateDirOf(state, l) }));
}

/** The scenario a lab in `stateDir` with this status really runs (a mystery's too); undefined when none runs. */
export function realScenario(status: LabStatus | undefined, stateDir: string): string | undefined {
  if (!status || status.phase === 'failed') return undefined;
  return status.scenario === mysteryId ? mysteryScenario(stateDir) : status.scenario;
}

/** The scenario a learner's lab really runs (a mystery's too), or undefined when it is not running. */
export async function labScenario(state: ClassState, l: Learner): Promise<string | undefined> {
  return realScenario(await labOf(state, l), stateDirOf(state, l));
}

/** Runs `work` for each learner, at most `parallel` at once, in roster order for the report. */
export async function eachLearner<T>(
  learners: Learner[],
  parallel: number,
  work: (l: Learner) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(learners.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, learners.length) }, async () => {
    while (next < learners.length) {
      const i = next++;
      results[i] = await work(learners[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
