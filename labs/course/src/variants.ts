// Per-learner variants: a seed (DOJO_SEED, from the instructor's roster) moves the details graded answers
// depend on, so two learners' right answers differ and cannot be shared: the slow-query threshold asked
// for, the customer whose journey is traced, the commits the scenarios ship. Only what the app really
// varies: thresholds and planted ids live in the questions and the graders' designed traces, commits in
// the releases the tiers and the pipeline report. No seed gives the course's own values.
import { createHash } from 'node:crypto';
import { UserError } from './user-error.ts';

export interface Variant {
  /** the seed, or undefined for the course's own values */
  seed: string | undefined;
  /** q-slow-db: PostgreSQL spans slower than this are the answer */
  slowMs: number;
  /** q-customer-journey: the customer whose requests are the answer */
  customer: number;
}

export const defaultVariant: Variant = Object.freeze({ seed: undefined, slowMs: 500, customer: 42 });

/** Thresholds the slow-query scenario's searches (about 1 s) clear and its other queries (< 100 ms) do not. */
const slowChoices = [300, 400, 600, 700, 800];

const seedPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** A number from the seed for one detail, the same on every machine. */
export function seededNumber(seed: string, detail: string): number {
  return createHash('sha256').update(`tracing-dojo\0${seed}\0${detail}`).digest().readUInt32BE(0);
}

export function checkSeed(seed: string, where = 'DOJO_SEED'): string {
  if (!seedPattern.test(seed))
    throw new UserError(
      `${where}=${seed} is not a seed; use 1 to 64 letters, digits, ".", "_" or "-" (a learner's id will do)`,
    );
  return seed;
}

/** DOJO_SEED, checked; undefined when unset or empty. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.DOJO_SEED?.trim();
  return raw ? checkSeed(raw) : undefined;
}

export function variantOf(seed: string | undefined): Variant {
  if (seed === undefined) return defaultVariant;
  return {
    seed,
    slowMs: slowChoices[seededNumber(seed, 'slowMs') % slowChoices.length]!,
    // Customers 100-4999: the load generator's range, clear of the course's own 42 and 43.
    customer: 100 + (seededNumber(seed, 'customer') % 4900),
  };
}

/**
 * A question's text with the variant's values: {{slowMs}}, {{customer}}, {{otherCustomer}} (the next id),
 * and {{commit:<tier>:<scenario>}} (that scenario's deploy of that tier, from `commitOf`).
 */
export function fillVariant(
  text: string,
  variant: Variant,
  commitOf: (tier: string, scenario: string) => string,
): string {
  return text.replace(
    /\{\{\s*([a-zA-Z]+)(?::([a-z-]+):([a-z-]+))?\s*\}\}/g,
    (whole, name: string, tier, scenario) => {
      if (name === 'slowMs') return String(variant.slowMs);
      if (name === 'customer') return String(variant.customer);
      if (name === 'otherCustomer') return String(variant.customer + 1);
      if (name === 'commit' && tier && scenario) return commitOf(tier, scenario);
      throw new Error(`unknown variant placeholder ${whole}`);
    },
  );
}
