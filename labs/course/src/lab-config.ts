// Ports and pinned versions, read from the two JSON files that are their single source.
import { readFileSync } from 'node:fs';
import { UserError } from './user-error.ts';

const configDir = new URL('../../config/', import.meta.url);

export interface Ports {
  web: number;
  api: number;
  payments: number;
  /** the lab-controlled link between web and api (network-latency scenario) */
  netproxy: number;
  /** the practical's shipping service and its carrier vendor stub (only with DOJO_PRACTICAL) */
  shipping: number;
  carrier: number;
  postgres: number;
  tempoHttp: number;
  otlpGrpc: number;
  otlpHttp: number;
  grafana: number;
  tempoGrpcInternal: number;
  tempoMemberlist: number;
}

export interface Versions {
  node: string;
  tempo: { version: string };
  /** what the pinned Grafana image writes into a dashboard model (grafana-foundation-sdk and @grafana/schema 12.2.1 agree) */
  grafana: { dashboardSchemaVersion: number };
  /** redpanda and minio: the Kafka and object storage of the class Tempo on kind (microservices mode) */
  images: Record<
    'tempo' | 'postgres' | 'grafana' | 'otelCollector' | 'node' | 'kindNode' | 'redpanda' | 'minio',
    string
  >;
  tools: Record<'kind' | 'kubectl' | 'docker' | 'kubeApiserver', string>;
}

function readJson<T>(name: string): T {
  const { $comment: _ignored, ...rest } = JSON.parse(readFileSync(new URL(name, configDir), 'utf8'));
  return rest as T;
}

/**
 * DOJO_PORT_OFFSET shifts every port at once, so a second lab (the integration tests, a second learner
 * on a shared machine) can run beside the default one without touching the single source.
 */
export function portsFor(env: NodeJS.ProcessEnv = process.env): Readonly<Ports> {
  const offset = portOffset(env);
  return Object.freeze(
    Object.fromEntries(Object.entries(designPorts).map(([k, v]) => [k, v + offset])) as unknown as Ports,
  );
}

function portOffset(env: NodeJS.ProcessEnv): number {
  const offset = Number(env.DOJO_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50000) {
    throw new UserError(
      `DOJO_PORT_OFFSET must be a whole number from 0 to 50000, got "${env.DOJO_PORT_OFFSET}"; fix it or unset it`,
    );
  }
  return offset;
}

const designPorts = readJson<Ports>('ports.json');

/**
 * The ports under this process's DOJO_PORT_OFFSET, each read when used: importing the course must not fail
 * on a bad offset, or no command could report it in one line (the CLI's edge catches it at first use).
 */
export const ports: Readonly<Ports> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(
      Object.keys(designPorts).map((k) => [
        k,
        { enumerable: true, get: () => designPorts[k as keyof Ports] + portOffset(process.env) },
      ]),
    ),
  ) as Ports,
);
export const versions: Readonly<Versions> = Object.freeze(readJson<Versions>('versions.json'));

/** Where every command and test finds Tempo (DESIGN.md contract). */
export function tempoUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.TEMPO_URL) return `http://localhost:${portsFor(env).tempoHttp}`;
  return checkHttpUrl('TEMPO_URL', env.TEMPO_URL).replace(/\/+$/, '');
}

/** A URL setting must be http(s)://host[:port]; anything else ("localhost:3200", ftp://) fails here. */
export function checkHttpUrl(name: string, raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // not a URL at all: reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UserError(`${name} must be http(s)://host:port, got "${raw}"`);
  }
  return raw;
}

/** Per-user cache root for built binaries (kube-apiserver) and fetched runtimes. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || `${env.HOME ?? '/tmp'}/.cache`;
  return `${base}/tracing-dojo`;
}
