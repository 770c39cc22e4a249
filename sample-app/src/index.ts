// What other workspaces use from the sample app: where its tiers start, its database preparation and
// the shoppers' journeys (the OTLP sink for tests is @dojo/sample-app/testing).
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const tierEntrypoints = {
  web: here('./web/main.ts'),
  api: here('./api/main.ts'),
  payments: here('./payments/main.ts'),
  netproxy: here('./netproxy/main.ts'),
  carrier: here('./carrier/main.ts'),
  loadgen: here('./loadgen/main.ts'),
  pipeline: here('./pipeline/main.ts'),
} as const;

export const telemetryRegister = here('./telemetry/register.ts');

export { prepareDatabase, reviewSearchIndex, setReviewSearchIndex } from './db/prepare.ts';
export { nextStep, type Step } from './loadgen/journeys.ts';
export { tierNodeFlags } from './runtime-flags.ts';
export { isTraced, tracedTiers } from './tiers.ts';
