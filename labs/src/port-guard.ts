// Checks that the lab's ports are free before anything starts, so a clash never leaves a half-started lab.
import { createServer } from 'node:net';
import { type Ports, UserError } from '@dojo/course';

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now (for tests and benchmarks that start their own servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Throws a one-line UserError naming the first taken port and what it is for. */
export async function assertPortsFree(
  ports: Readonly<Partial<Ports>>,
  names: (keyof Ports)[],
): Promise<void> {
  for (const name of names) {
    const port = ports[name];
    if (port !== undefined && !(await portIsFree(port))) {
      throw new UserError(
        `port ${port} (${name}) is already in use; free it (see \`lsof -i :${port}\`) or stop the other lab with \`make lab-down\``,
      );
    }
  }
}

/** Polls until every port is free again (after lab down); returns those still taken at the deadline. */
export async function waitPortsFree(portList: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let taken = portList;
  while (taken.length > 0 && Date.now() < deadline) {
    const checks = await Promise.all(taken.map(async (p) => ((await portIsFree(p)) ? undefined : p)));
    taken = checks.filter((p): p is number => p !== undefined);
    if (taken.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return taken;
}
