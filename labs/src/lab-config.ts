// Ports and pinned versions, read from the two JSON files that are their single source.
import { readFileSync } from 'node:fs';

const configDir = new URL('../config/', import.meta.url);

export interface Ports {
  web: number;
  api: number;
  payments: number;
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
  tempo: { version: string; commit: string; goModule: string; minGo: string };
  images: Record<'tempo' | 'postgres' | 'grafana' | 'otelCollector' | 'node' | 'kindNode', string>;
  tools: Record<'kind' | 'kubectl' | 'docker', string>;
}

function readJson<T>(name: string): T {
  const { $comment: _ignored, ...rest } = JSON.parse(readFileSync(new URL(name, configDir), 'utf8'));
  return rest as T;
}

export const ports: Readonly<Ports> = Object.freeze(readJson<Ports>('ports.json'));
export const versions: Readonly<Versions> = Object.freeze(readJson<Versions>('versions.json'));

/** Where every command and test finds Tempo (DESIGN.md contract). */
export function tempoUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TEMPO_URL ?? `http://localhost:${ports.tempoHttp}`).replace(/\/+$/, '');
}

/** Per-user cache root for built binaries (Tempo, kube-apiserver) and fetched runtimes. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || `${env.HOME ?? '/tmp'}/.cache`;
  return `${base}/tracing-dojo`;
}
