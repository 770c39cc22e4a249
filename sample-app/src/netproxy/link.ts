// A TCP proxy standing for the network between two services. Healthy, it only relays bytes; with faults
// it holds a share of requests back (added latency) and resets a share of connections, as a congested
// or flaky network path does. It works on bytes, so neither side's telemetry knows it is there.
// Only reads (GET) are hit: a reset checkout would be a lost order, a second symptom the scenario does
// not teach, and the one span name a root-cause report must give stays GET.
import net from 'node:net';

export interface LinkFaults {
  /** share of GET requests held back by delayMs before they are passed on */
  delayShare: number;
  /** share of GET requests whose connection is reset (RST) instead of passed on */
  resetShare: number;
}

export interface LinkOptions {
  upstream: { host: string; port: number };
  faults: LinkFaults;
  /** how long a held-back request waits, [min, max) ms */
  delayMs?: [number, number];
  /** how long a doomed request hangs before its connection is reset, [min, max) ms */
  resetAfterMs?: [number, number];
  /** injectable so tests can pin the dice */
  random?: () => number;
  onFault?: (fault: { kind: 'delay' | 'reset'; ms: number }) => void;
}

const between = ([min, max]: [number, number], r: () => number) => min + r() * (max - min);

/**
 * A request starts with the first bytes a client sends after the server last answered (HTTP/1.1 with
 * keep-alive sends one request at a time per connection), so each request gets its own dice roll.
 */
export function createLink(options: LinkOptions): net.Server {
  const random = options.random ?? Math.random;
  const delayRange = options.delayMs ?? [500, 1500];
  const resetRange = options.resetAfterMs ?? [150, 400];
  return net.createServer((client) => {
    const upstream = net.connect(options.upstream.port, options.upstream.host);
    let newRequest = true;
    // Bytes of a held-back request (and anything after it) leave in order, no earlier than releaseAt.
    let releaseAt = 0;
    const pending: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let doomed = false;
    let clientEnded = false;

    const flush = () => {
      timer = undefined;
      for (const chunk of pending.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
      if (clientEnded) upstream.end();
    };
    const forward = (chunk: Buffer) => {
      const wait = releaseAt - Date.now();
      if (wait <= 0 && pending.length === 0) {
        upstream.write(chunk);
        return;
      }
      pending.push(chunk);
      timer ??= setTimeout(flush, Math.max(0, wait));
    };

    client.on('data', (chunk: Buffer) => {
      if (doomed) return;
      if (newRequest) {
        newRequest = false;
        const roll = chunk.subarray(0, 4).toString('latin1') === 'GET ' ? random() : 1;
        if (roll < options.faults.resetShare) {
          doomed = true;
          const ms = between(resetRange, random);
          options.onFault?.({ kind: 'reset', ms });
          setTimeout(() => {
            upstream.destroy();
            client.resetAndDestroy();
          }, ms);
          return;
        }
        if (roll < options.faults.resetShare + options.faults.delayShare) {
          const ms = between(delayRange, random);
          options.onFault?.({ kind: 'delay', ms });
          releaseAt = Date.now() + ms;
        }
      }
      forward(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      newRequest = true;
      client.write(chunk);
    });
    client.on('end', () => {
      clientEnded = true;
      if (!timer) upstream.end();
    });
    upstream.on('end', () => client.end());
    // A reset on one side is passed on as a reset on the other, like a broken path.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('close', () => {
      clearTimeout(timer);
      upstream.destroy();
    });
    upstream.on('close', () => {
      if (!client.destroyed) client.end();
    });
  });
}
