// The delivery pipeline's traffic for tests that grade on a bare Tempo: the lab's emitter, as the lab
// runs it (history replayed, slow-query's api deploy, then a change every ten seconds), sending to it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TempoClient } from '../../src/tempo-client.ts';

const emitterMain = fileURLToPath(
  new URL('../../sample-app/src/pipeline/main.ts', import.meta.resolve('@dojo/sample-app')),
);

/** Starts the emitter and waits until its replayed history is searchable; returns how to stop it. */
export async function startPipelineTraffic(otlpHttpUrl: string, tempo: TempoClient): Promise<() => void> {
  const emitter: ChildProcess = spawn(process.execPath, [emitterMain], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PIPELINE_CHANGES_PER_MINUTE: '6',
      PIPELINE_SEED: '1',
      DOJO_SCENARIO: 'slow-query',
    },
    stdio: 'ignore',
  });
  const stop = () => void emitter.kill('SIGTERM');
  const deadline = Date.now() + 60_000;
  const runs = '{ resource.service.name = "jenkins" && kind = server }';
  // 60 replayed changes, two baseline deploys and slow-query's api deploy
  for (;;) {
    const window = { start: Date.now() / 1000 - 86_400, end: Date.now() / 1000, limit: 1000 };
    if ((await tempo.search(runs, window)).length >= 63) return stop;
    if (Date.now() > deadline || emitter.exitCode !== null) {
      stop();
      throw new Error('the pipeline emitter’s traces did not arrive');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
