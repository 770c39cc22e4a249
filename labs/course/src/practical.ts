// The practical (instrument a new service): whether the lab runs it, which implementation of the
// shipping service starts, and the facts the service, its carrier stub and the grader share.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './user-error.ts';

export const practicalLanguages = ['typescript', 'python'] as const;
export type PracticalLanguage = (typeof practicalLanguages)[number];

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The shipping service as shipped: uninstrumented, for the learner to instrument in place. */
export const shippedShippingDirs: Readonly<Record<PracticalLanguage, string>> = {
  typescript: join(repo, 'sample-app/src/shipping'),
  python: join(repo, 'sample-app/python/shipping'),
};

/** The reference solutions, kept out of the shipped service. */
export const solutionShippingDirs: Readonly<Record<PracticalLanguage, string>> = {
  typescript: join(repo, 'labs/practical/solution/typescript'),
  python: join(repo, 'labs/practical/solution/python'),
};

/** The file each language's service starts from, inside its folder. */
export const shippingEntry: Readonly<Record<PracticalLanguage, string>> = {
  typescript: 'main.ts',
  python: 'app.py',
};

/**
 * The carrier vendor's API key, which shipping sends on every call to the carrier. A lab value, but a
 * credential all the same: the grader fails a service whose spans carry it.
 */
export const carrierApiKey = 'dojo-carrier-live-7f3a9c1e5b2d4868';

/** Parcels heavier than this are refused by the carrier: the failure the grader provokes. */
export const carrierMaxGrams = 30_000;

export interface Practical {
  language: PracticalLanguage;
  /** the folder the shipping service runs from */
  dir: string;
  entry: string;
}

/**
 * DOJO_PRACTICAL=typescript|python turns the practical on (api then calls shipping on checkout);
 * DOJO_SHIPPING_DIR names the folder to run instead of the shipped one (a learner's copy, a solution).
 */
export function practicalFromEnv(env: NodeJS.ProcessEnv = process.env): Practical | undefined {
  const raw = (env.DOJO_PRACTICAL ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'off' || raw === '0' || raw === 'false') {
    if (env.DOJO_SHIPPING_DIR)
      throw new UserError(
        'DOJO_SHIPPING_DIR is set but the practical is off; also set DOJO_PRACTICAL=typescript|python',
      );
    return undefined;
  }
  const language = raw === 'ts' ? 'typescript' : raw === 'py' ? 'python' : raw;
  if (!(practicalLanguages as readonly string[]).includes(language)) {
    throw new UserError(
      `DOJO_PRACTICAL must be one of ${practicalLanguages.join(', ')} (or off), got "${env.DOJO_PRACTICAL}"`,
    );
  }
  const lang = language as PracticalLanguage;
  const dir = env.DOJO_SHIPPING_DIR
    ? isAbsolute(env.DOJO_SHIPPING_DIR)
      ? env.DOJO_SHIPPING_DIR
      : resolve(env.DOJO_SHIPPING_DIR)
    : shippedShippingDirs[lang];
  const entry = join(dir, shippingEntry[lang]);
  if (!existsSync(entry)) {
    throw new UserError(
      `DOJO_SHIPPING_DIR: no ${shippingEntry[lang]} in ${dir}; point it at the folder of your ${lang} shipping service`,
    );
  }
  return { language: lang, dir, entry };
}
