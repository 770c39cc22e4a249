// The store as a process of its own (the lab's supervisor spawns it): flags → options, one ready line
// on stdout, exit 0 on SIGINT/SIGTERM, exit 2 with one line on stderr when it cannot start.
import { parseServeArgs, serve, startFailure } from './serve.ts';
import type { StoreOptions } from './server.ts';

let options: StoreOptions | undefined;
try {
  options = parseServeArgs(process.argv.slice(2));
  await serve(options, 'line');
} catch (e) {
  const message = options ? startFailure(e, options) : (e as Error).message;
  process.stderr.write(`tempo-store: ${message}\n`);
  process.exitCode = 2;
}
