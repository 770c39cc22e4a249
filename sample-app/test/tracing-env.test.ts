import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTracingSettings, TracingEnvError } from '../src/telemetry/tracing-env.ts';

test('with nothing set: all three instrumentations and the SDK defaults (protobuf, parent-based always-on, 5 s batches of 512)', () => {
  assert.deepEqual(readTracingSettings({}), {
    instrumentations: ['http', 'express', 'pg'],
    protocol: 'http/protobuf',
    sampler: { name: 'parentbased_always_on', ratio: 1 },
    batch: {
      scheduledDelayMillis: 5000,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      exportTimeoutMillis: 30000,
    },
  });
});

test('the lab and the course set protocol, sampler and batch delay through the standard variables', () => {
  const s = readTracingSettings({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
    OTEL_BSP_SCHEDULE_DELAY: '500',
    OTEL_BSP_MAX_QUEUE_SIZE: '8192',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
  });
  assert.equal(s.protocol, 'http/json', 'the traces-specific variable wins');
  assert.deepEqual(s.sampler, { name: 'parentbased_traceidratio', ratio: 0.1 });
  assert.equal(s.batch.scheduledDelayMillis, 500);
  assert.equal(s.batch.maxExportBatchSize, 2048);
});

test('DOJO_INSTRUMENTATIONS picks the libraries to patch; empty means none', () => {
  assert.deepEqual(readTracingSettings({ DOJO_INSTRUMENTATIONS: 'http, pg' }).instrumentations, [
    'http',
    'pg',
  ]);
  assert.deepEqual(readTracingSettings({ DOJO_INSTRUMENTATIONS: '' }).instrumentations, []);
});

test('a wrong value is one line naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/],
    [
      { DOJO_INSTRUMENTATIONS: 'http,redis' },
      /^DOJO_INSTRUMENTATIONS: unknown redis; choose from http, express, pg$/,
    ],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^OTEL_TRACES_SAMPLER=sometimes is not one of always_on/],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^OTEL_TRACES_SAMPLER_ARG=1.5 is not a ratio/],
    [{ OTEL_BSP_SCHEDULE_DELAY: 'soon' }, /^OTEL_BSP_SCHEDULE_DELAY=soon is not a whole number/],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '0' }, /^OTEL_BSP_MAX_QUEUE_SIZE=0 is not a whole number of at least 1/],
    [
      { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512' },
      /^OTEL_BSP_MAX_EXPORT_BATCH_SIZE \(512\) must not exceed OTEL_BSP_MAX_QUEUE_SIZE \(100\)$/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => readTracingSettings(env),
      (err: Error) =>
        err instanceof TracingEnvError && message.test(err.message) && !err.message.includes('\n'),
      JSON.stringify(env),
    );
  }
});
