// netproxy: the network link between web and api, which the lab controls. web reaches api through it
// (web's API_URL names this proxy; its own API_URL names api). The scenario sets how flaky it is.
import { createLogger } from '../log.ts';
import { settingsOrExit } from '../settings.ts';
import { createLink } from './link.ts';

const settings = settingsOrExit('netproxy');
const log = createLogger('netproxy');
const upstream = new URL(settings.apiUrl);
// Under a mystery scenario the link keeps quiet: a real network does not log the faults it causes.
const quiet = settings.scenario === 'mystery';
const server = createLink({
  upstream: { host: upstream.hostname, port: Number(upstream.port) },
  faults: { delayShare: settings.faults.linkDelayShare, resetShare: settings.faults.linkResetShare },
  onFault: (f) =>
    quiet
      ? undefined
      : log.info(f.kind === 'delay' ? 'request held back' : 'connection reset', { ms: Math.round(f.ms) }),
});
server.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EADDRINUSE') {
    process.stderr.write(
      `netproxy: port ${settings.port} is already in use; stop what uses it or set PORT\n`,
    );
    process.exit(2);
  }
  throw e;
});
server.listen(settings.port, process.env.HOST ?? '127.0.0.1', () =>
  log.info(`netproxy listening on ${settings.port}, relaying to ${upstream.host}`, {
    port: settings.port,
    ...(quiet
      ? {}
      : { delay_share: settings.faults.linkDelayShare, reset_share: settings.faults.linkResetShare }),
  }),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
