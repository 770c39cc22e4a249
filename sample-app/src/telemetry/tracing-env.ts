// The standard OTEL_* variables the lab's bootstrap honours, read into plain settings. Kept apart from
// the SDK so a wrong value fails as one line naming the variable, before anything starts.

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export const instrumentationNames = ['http', 'express', 'pg'] as const;
export type InstrumentationName = (typeof instrumentationNames)[number];

export interface TracingSettings {
  /** DOJO_INSTRUMENTATIONS: which libraries to patch (all by default); the lab's own knob, for the
   *  overhead benchmark and for learners who want to see what each instrumentation contributes */
  instrumentations: InstrumentationName[];
  protocol: 'http/protobuf' | 'http/json';
  sampler: { name: SamplerName; ratio: number };
  batch: {
    scheduledDelayMillis: number;
    maxQueueSize: number;
    maxExportBatchSize: number;
    exportTimeoutMillis: number;
  };
}

const samplers: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export class TracingEnvError extends Error {}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new TracingEnvError(`${name}=${raw} is not a whole number of at least ${min}`);
  return n;
}

export function readTracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim();
  if (protocol && protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw new TracingEnvError(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported here; use http/protobuf or http/json`,
    );

  const samplerName = (env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on') as SamplerName;
  if (!samplers.includes(samplerName))
    throw new TracingEnvError(`OTEL_TRACES_SAMPLER=${samplerName} is not one of ${samplers.join(', ')}`);
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = rawRatio ? Number(rawRatio) : 1;
  if (!(ratio >= 0 && ratio <= 1))
    throw new TracingEnvError(`OTEL_TRACES_SAMPLER_ARG=${rawRatio} is not a ratio between 0 and 1`);

  const chosen = (env.DOJO_INSTRUMENTATIONS ?? instrumentationNames.join(','))
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = chosen.filter((n) => !(instrumentationNames as readonly string[]).includes(n));
  if (unknown.length)
    throw new TracingEnvError(
      `DOJO_INSTRUMENTATIONS: unknown ${unknown.join(', ')}; choose from ${instrumentationNames.join(', ')}`,
    );

  const maxQueueSize = count(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1);
  const maxExportBatchSize = count(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1);
  if (maxExportBatchSize > maxQueueSize)
    throw new TracingEnvError(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE (${maxExportBatchSize}) must not exceed OTEL_BSP_MAX_QUEUE_SIZE (${maxQueueSize})`,
    );
  return {
    instrumentations: chosen as InstrumentationName[],
    protocol: (protocol || 'http/protobuf') as TracingSettings['protocol'],
    sampler: { name: samplerName, ratio },
    batch: {
      scheduledDelayMillis: count(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 0),
      maxQueueSize,
      maxExportBatchSize,
      exportTimeoutMillis: count(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30000, 1),
    },
  };
}
