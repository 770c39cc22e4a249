// Captures real delivery-pipeline traces for the DORA lab's waterfalls: the lab's pipeline emitter runs
// (fixed seed), the real SDK exports to a capturing OTLP receiver, and two changes are written in the shape
// of Tempo's GET /api/traces/<id>: one that waited for approval and retried its tests, one rolled back.
// Run: node site/scripts/capture-pipeline-traces.ts   (from the repo root; needs no lab)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CapturedSpan, OtlpSink } from '@dojo/sample-app/testing';

const out = new URL('../src/data/traces/', import.meta.url);
const emitter = fileURLToPath(new URL('../../sample-app/src/pipeline/main.ts', import.meta.url));

const sink = await new OtlpSink().start();
const child = spawn(process.execPath, [emitter], {
  env: {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    PIPELINE_CHANGES_PER_MINUTE: '10',
    PIPELINE_SEED: '4',
    DOJO_SCENARIO: 'healthy',
  },
  stdio: 'inherit',
});
try {
  const byTrace = (spans: CapturedSpan[]) => {
    const map = new Map<string, CapturedSpan[]>();
    for (const s of spans) map.set(s.traceId, [...(map.get(s.traceId) ?? []), s]);
    return [...map.values()];
  };
  const task = (s: CapturedSpan) => s.attributes['cicd.pipeline.task.name'];
  const waited = (t: CapturedSpan[]) =>
    t.some((s) => s.attributes['app.approval.mode'] === 'manual') &&
    t.some((s) => task(s) === 'test' && s.statusCode === 2) &&
    t.some((s) => task(s) === 'deploy-production') &&
    !t.some((s) => task(s) === 'rollback');
  const rolledBack = (t: CapturedSpan[]) => t.some((s) => task(s) === 'rollback');
  const [change, rollback] = await sink.waitFor('a change that waited and one rolled back', (spans) => {
    const traces = byTrace(spans);
    const a = traces.find(waited);
    const b = traces.find(rolledBack);
    return a && b ? [a, b] : undefined;
  });
  for (const [file, spans] of [
    ['pipeline-change', change!],
    ['pipeline-rollback', rollback!],
  ] as const) {
    writeFileSync(
      new URL(`${file}.json`, out),
      `${JSON.stringify(sink.rawTrace(spans[0]!.traceId), null, 1)}\n`,
    );
    process.stdout.write(`${file}: ${spans.length} spans\n`);
  }
} finally {
  child.kill('SIGTERM');
  await sink.stop();
}
