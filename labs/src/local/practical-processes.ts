// The practical's two children of the local lab: the carrier vendor stub and the shipping service, the
// latter run from the learner's folder (or a reference solution) in its language.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { carrierApiKey, type Ports, type Practical } from '@dojo/course';
import type { ProcessSpec } from './managed-process.ts';
import { tcpOpen } from './managed-process.ts';
import { withoutOtel } from './tempo-process.ts';

/** The practical as the supervisor receives it: the Python to run a Python service with, resolved at lab up. */
export type PracticalRun = Practical & { python?: string };

export const practicalChildren = ['carrier', 'shipping'] as const;

export interface PracticalPlace {
  ports: Readonly<Ports>;
  logsDir: string;
  cwd: string;
  /** where the lab's OTLP receiver is; the shipping service gets it as OTEL_EXPORTER_OTLP_ENDPOINT */
  otlpEndpoint: string;
  env: NodeJS.ProcessEnv;
}

export async function practicalSpec(
  name: (typeof practicalChildren)[number],
  practical: PracticalRun,
  place: PracticalPlace,
): Promise<ProcessSpec> {
  const { tierEntrypoints, tierNodeFlags } = await import('@dojo/sample-app');
  const port = place.ports[name];
  const base = {
    ...withoutOtel(place.env),
    PORT: String(port),
    CARRIER_API_KEY: carrierApiKey,
  };
  const common = {
    name,
    logFile: join(place.logsDir, `${name}.log`),
    ready: () => tcpOpen(port),
    port,
  };
  if (name === 'carrier') {
    return {
      ...common,
      command: process.execPath,
      args: [...tierNodeFlags, tierEntrypoints.carrier],
      env: base,
      cwd: place.cwd,
    };
  }
  // What a platform hands a service: where to export and how often. Naming the service and its
  // resource is the learner's part, so no OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES.
  const env: NodeJS.ProcessEnv = {
    ...base,
    CARRIER_URL: `http://127.0.0.1:${place.ports.carrier}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: place.otlpEndpoint,
    OTEL_BSP_SCHEDULE_DELAY: '500',
    PYTHONUNBUFFERED: '1',
  };
  if (practical.language === 'python') {
    return {
      ...common,
      command: practical.python ?? 'python3',
      args: [practical.entry],
      env,
      cwd: practical.dir,
    };
  }
  // tracing.ts, when there is one, is preloaded so the SDK starts before the service loads node:http.
  const preload = join(practical.dir, 'tracing.ts');
  return {
    ...common,
    command: process.execPath,
    args: [...tierNodeFlags, ...(existsSync(preload) ? ['--import', preload] : []), practical.entry],
    env,
    cwd: practical.dir,
  };
}
