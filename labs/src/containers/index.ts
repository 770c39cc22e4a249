// testcontainers support for machines with a Docker engine: Tempo and PostgreSQL as containers, using
// the same pinned images and the same Tempo config as the lab. Machines without Docker use the local
// binaries instead (see dockerAvailable and the integration tests).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ports, versions } from '../lab-config.ts';
import { renderTempoConfig } from '../tempo-config.ts';

const run = promisify(execFile);

export async function dockerAvailable(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export interface StartedService {
  /** base URL (Tempo) or connection string (PostgreSQL) on the host */
  url: string;
  otlpHttp?: string;
  stop: () => Promise<void>;
}

/** Tempo in a container, with the lab's config (kind flavour: it listens on every interface). */
export async function startTempoContainer(): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(versions.images.tempo)
    .withCopyContentToContainer([
      { content: renderTempoConfig({ mode: 'kind', dataDir: '/tmp/tempo' }), target: '/etc/tempo.yaml' },
    ])
    .withCommand(['-config.file=/etc/tempo.yaml', '-target=all'])
    .withExposedPorts(ports.tempoHttp, ports.otlpHttp)
    .withWaitStrategy(Wait.forHttp('/ready', ports.tempoHttp).forStatusCode(200))
    .start();
  const host = container.getHost();
  return {
    url: `http://${host}:${container.getMappedPort(ports.tempoHttp)}`,
    otlpHttp: `http://${host}:${container.getMappedPort(ports.otlpHttp)}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startPostgresContainer(): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(versions.images.postgres)
    .withEnvironment({ POSTGRES_USER: 'dojo', POSTGRES_PASSWORD: 'dojo', POSTGRES_DB: 'shop' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://dojo:dojo@${container.getHost()}:${container.getMappedPort(5432)}/shop`,
    stop: async () => {
      await container.stop();
    },
  };
}
