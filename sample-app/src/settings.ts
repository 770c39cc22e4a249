// Where each tier listens and whom it calls, from the environment (defaults: the lab's ports), and the
// active scenario's fault switches — the only place the app learns what is broken.
import { type Faults, findScenario, portsFor, UserError } from '@dojo/course';

const ports = portsFor();

export interface Settings {
  scenario: string;
  faults: Faults;
  port: number;
  apiUrl: string;
  paymentsUrl: string;
  /** the practical's shipping service; unset when the practical is off, and then api does not call it */
  shippingUrl: string | undefined;
  webUrl: string;
  databaseUrl: string;
  loadgenRps: number;
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function readSettings(
  tier: 'web' | 'api' | 'payments' | 'loadgen' | 'netproxy' | 'carrier',
  env = process.env,
): Settings {
  const scenario = env.DOJO_SCENARIO || 'healthy';
  const { faults } = findScenario(scenario);
  const defaultPort = tier === 'loadgen' ? 0 : ports[tier];
  return {
    scenario,
    faults,
    port: positiveNumber('PORT', env.PORT, defaultPort || 1),
    apiUrl: env.API_URL ?? `http://127.0.0.1:${ports.api}`,
    paymentsUrl: env.PAYMENTS_URL ?? `http://127.0.0.1:${ports.payments}`,
    shippingUrl: env.SHIPPING_URL || undefined,
    webUrl: env.WEB_URL ?? `http://127.0.0.1:${ports.web}`,
    databaseUrl: env.DATABASE_URL ?? `postgres://dojo:dojo@127.0.0.1:${ports.postgres}/shop`,
    loadgenRps: positiveNumber('LOADGEN_RPS', env.LOADGEN_RPS, 2),
  };
}

/** Turns a configuration mistake into one line on stderr and exit code 2. */
export function settingsOrExit(tier: Parameters<typeof readSettings>[0]): Settings {
  try {
    return readSettings(tier);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    process.stderr.write(`${tier}: ${e.message}\n`);
    process.exit(e.exitCode);
  }
}
