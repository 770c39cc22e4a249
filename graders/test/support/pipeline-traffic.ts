// The delivery pipeline's traffic for tests that grade on a bare Tempo: the lab's emitter sending to it, by
// default as the lab runs it (history replayed, slow-query's api deploy, then a change every ten seconds).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TempoClient } from '../../src/tempo-client.ts';

const emitterMain = fileURLToPath(
  new URL('../../sample-app/src/pipeline/main.ts', import.meta.resolve('@dojo/sample-app')),
);

export interface PipelineTraffic {
  /** the scenario the shop runs: its deploy is among the replayed ones */
  scenario?: string;
  changesPerMinute?: number;
  /** more of the emitter's environment (DOJO_SCENARIO_SINCE, …) */
  env?: Record<string, string>;
  /** how many pipeline runs must be searchable before the traffic counts as arrived */
  runs?: number;
  /** how far back the search for them looks */
  lookbackSeconds?: number;
}

/**
 * Starts the emitter and waits until its replayed history is searchable; returns how to stop it (the
 * promise settles once the emitter has exited).
 */
export async function startPipelineTraffic(
  otlpHttpUrl: string,
  tempo: TempoClient,
  o: PipelineTraffic = {},
): Promise<() => Promise<void>> {
  const emitter: ChildProcess = spawn(process.execPath, [emitterMain], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PIPELINE_CHANGES_PER_MINUTE: String(o.changesPerMinute ?? 6),
      PIPELINE_SEED: '1',
      DOJO_SCENARIO: o.scenario ?? 'slow-query',
      ...o.env,
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => emitter.once('exit', () => r()));
  const stop = async () => {
    if (emitter.exitCode === null && emitter.signalCode === null) emitter.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  const runs = '{ resource.service.name = "jenkins" && kind = server }';
  // By default 60 replayed changes, two baseline deploys and slow-query's api deploy.
  const wanted = o.runs ?? 63;
  const lookback = o.lookbackSeconds ?? 86_400;
  for (;;) {
    const window = { start: Date.now() / 1000 - lookback, end: Date.now() / 1000 + 1, limit: 1000 };
    const found = (await tempo.search(runs, window)).length;
    if (found >= wanted) return stop;
    if (Date.now() > deadline || emitter.exitCode !== null) {
      await stop();
      throw new Error(`only ${found} of ${wanted} pipeline runs of the emitter arrived`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
