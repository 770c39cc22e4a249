// Renders labs/config/tempo.yaml for one run mode; the local mode and the kind ConfigMap share it.
import { readFileSync } from 'node:fs';
import { ports as labPorts, type Ports } from './lab-config.ts';

export type RunMode = 'local' | 'kind';

export interface TempoConfigOptions {
  mode: RunMode;
  /** where Tempo keeps its WAL and blocks: a temp dir locally, the emptyDir on kind */
  dataDir: string;
  /** the ports to listen on (default: the lab's, shifted by this process's DOJO_PORT_OFFSET) */
  ports?: Readonly<Ports>;
}

export const tempoConfigTemplatePath = new URL('../../config/tempo.yaml', import.meta.url);

export function renderTempoConfig(options: TempoConfigOptions): string {
  if (!options.dataDir.startsWith('/'))
    throw new Error(`Tempo data dir must be absolute: ${options.dataDir}`);
  const ports = options.ports ?? labPorts;
  const values: Record<string, string> = {
    // Locally Tempo must not answer on other interfaces; in a pod the Service must reach it.
    listenAddress: options.mode === 'local' ? '127.0.0.1' : '0.0.0.0',
    dataDir: options.dataDir.replace(/\/+$/, ''),
    tempoHttp: String(ports.tempoHttp),
    tempoGrpcInternal: String(ports.tempoGrpcInternal),
    otlpGrpc: String(ports.otlpGrpc),
    otlpHttp: String(ports.otlpHttp),
    tempoMemberlist: String(ports.tempoMemberlist),
  };
  const template = readFileSync(tempoConfigTemplatePath, 'utf8');
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`tempo.yaml: unknown placeholder ${whole}`);
    return value;
  });
}
