// `dojo tempo serve`: the lab's Tempo-compatible store alone, in the foreground on the lab's ports
// (DOJO_PORT_OFFSET honoured) until Ctrl-C, so any app can send it spans and any client query it.

import { portsFor, UserError } from '@dojo/course';
import { parseServeArgs, type ServeConfig, serve, startFailure } from '@dojo/tempo-store';

export const tempoUsage =
  'dojo tempo serve [--host 127.0.0.1] [--multitenancy] [--max-age 1h] [--max-bytes 256MiB] [--max-bytes-per-trace 5MB]';

export async function tempoCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'serve') throw new UserError(`usage: ${tempoUsage}`);
  let options: ServeConfig;
  try {
    const ports = portsFor(process.env);
    const lab = [
      '--http-port',
      ports.tempoHttp,
      '--otlp-http-port',
      ports.otlpHttp,
      '--otlp-grpc-port',
      ports.otlpGrpc,
    ];
    // The lab's ports come first so an explicit --http-port … given by the user still wins; the offset is
    // already in them, hence no environment for the store's own defaults.
    options = parseServeArgs([...lab.map(String), ...rest], {});
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  try {
    await serve(options, 'human');
  } catch (e) {
    throw new UserError(startFailure(e, options));
  }
  return 0;
}
