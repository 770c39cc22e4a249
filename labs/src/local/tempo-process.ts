// How the local supervisor runs Tempo: the lab's own store (a Node child process, in memory) by default,
// or a real Tempo binary (DOJO_TEMPO_BIN) on a fresh data dir with the lab's rendered config.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Ports, renderTempoConfig, repoRoot } from '@dojo/course';
import type { TempoBackend } from '../tempo-backend.ts';
import { httpOk, type ProcessSpec } from './managed-process.ts';

/** Variables that would make a child export telemetry somewhere we did not choose. */
export function withoutOtel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('OTEL_')));
}

export interface TempoPlace {
  ports: Readonly<Ports>;
  /** the lab's temporary data root; a binary's blocks and WAL go below it */
  dataRoot: string;
  logsDir: string;
  url: string;
  env: NodeJS.ProcessEnv;
}

export function tempoProcessSpec(backend: TempoBackend, place: TempoPlace): ProcessSpec {
  const readyUrl = `http://127.0.0.1:${place.ports.tempoHttp}/ready`;
  const common = {
    name: 'tempo',
    // Neither Tempo may see the lab's OTEL_* variables, or it traces itself into itself.
    env: withoutOtel(place.env),
    logFile: join(place.logsDir, 'tempo.log'),
    ready: () => httpOk(readyUrl),
    port: place.ports.tempoHttp,
    url: place.url,
  };
  if (backend.kind === 'store') {
    const { tempoHttp, otlpHttp, otlpGrpc } = place.ports;
    return {
      ...common,
      command: process.execPath,
      args: [
        backend.main,
        `--http-port=${tempoHttp}`,
        `--otlp-http-port=${otlpHttp}`,
        `--otlp-grpc-port=${otlpGrpc}`,
      ],
      cwd: repoRoot,
    };
  }
  const dataDir = join(place.dataRoot, 'tempo');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(place.dataRoot, 'tempo.yaml');
  writeFileSync(configFile, renderTempoConfig({ mode: 'local', dataDir, ports: place.ports }));
  return {
    ...common,
    command: backend.path,
    args: [`-config.file=${configFile}`, '-target=all'],
    cwd: dataDir,
  };
}

/** The running Tempo's version from its build info (the store answers the same endpoint). */
export async function tempoVersion(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}/api/status/buildinfo`, {
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return undefined;
    const { version } = (await res.json()) as { version?: unknown };
    return typeof version === 'string' && version ? version : undefined;
  } catch {
    return undefined;
  }
}
