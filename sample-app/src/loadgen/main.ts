// loadgen: steady shopper traffic against web at LOADGEN_RPS requests per second, until SIGTERM.
// It stands for shoppers' browsers and runs without the SDK (sample-app/src/tiers.ts): it sends no
// traceparent, so each of its requests starts a trace at web.
import http from 'node:http';
import { createLogger } from '../log.ts';
import { settingsOrExit } from '../settings.ts';
import { flushTelemetry } from '../telemetry/lifecycle.ts';
import { nextStep, type Step } from './journeys.ts';

const settings = settingsOrExit('loadgen');
const log = createLogger('loadgen');
let inFlight = 0;
let sent = 0;
let failed = 0;
const maxInFlight = 20;

function send(step: Step): Promise<number> {
  const body = step.form ? new URLSearchParams(step.form).toString() : undefined;
  return new Promise((resolve) => {
    const req = http.request(
      `${settings.webUrl}${step.path}`,
      {
        method: step.method,
        timeout: 15_000,
        headers: {
          'x-customer-id': String(step.customerId),
          ...(body
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(body),
              }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const timer = setInterval(() => {
  if (inFlight >= maxInFlight) return; // never pile up behind a slow scenario
  inFlight += 1;
  sent += 1;
  void send(nextStep()).then((status) => {
    inFlight -= 1;
    if (status === 0 || status >= 500) failed += 1;
  });
}, 1000 / settings.loadgenRps);

const report = setInterval(() => log.info('load', { sent, failed, in_flight: inFlight }), 30_000);
log.info(`loadgen sending ${settings.loadgenRps} req/s to ${settings.webUrl}`);

async function stop() {
  clearInterval(timer);
  clearInterval(report);
  await flushTelemetry();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
