// Loads and validates the scenario catalog (labs/catalog/scenarios.yaml), the single source of
// scenario ids, fault switches, root causes and reference TraceQL for app, CLI, graders and site.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type AnswerKey,
  answerKeyFromEnv,
  keyDoesNotCover,
  missingAnswerKey,
  scenarioKeyFields,
} from './answer-key.ts';
import { mysteryId, openMystery } from './mystery.ts';
import { UserError } from './user-error.ts';

/** Fault switches and their healthy defaults; a scenario overrides only what it breaks. */
export const healthyFaults = Object.freeze({
  /** web injects the W3C traceparent on its calls to api */
  webPropagation: true,
  /** the full-text index on product_reviews (review search) exists */
  reviewsIndex: true,
  /** recommendations are fetched with one query per item (N+1) */
  recommendationsPerItem: false,
  /** share of payments calls that take 1.5-3 s */
  paymentsSlowShare: 0,
  /** share of payments calls that fail with HTTP 503 */
  paymentsFailShare: 0,
  /** api turns a payments failure into a handled "payment declined" instead of a 500 */
  apiHandlesPaymentErrors: true,
  /** the order confirmation job continues the checkout's trace */
  jobContextPropagated: true,
  /** share of web → api GET requests the network link holds back by 0.5-1.5 s */
  linkDelayShare: 0,
  /** share of web → api GET requests whose connection the network link resets */
  linkResetShare: 0,
});

export type Faults = { -readonly [K in keyof typeof healthyFaults]: (typeof healthyFaults)[K] };

export interface Cause {
  id: string;
  title: string;
}

export interface RootCause {
  service: string;
  span: string;
  /** other names of spans at fault in the same way (web's calls to api are named by HTTP method) */
  otherSpans?: string[];
  cause: string;
}

export interface Scenario {
  id: string;
  title: string;
  broken: string;
  symptom: string;
  rootCause: RootCause | null;
  signature: string;
  /** a TraceQL query that finds this scenario's signature (and, but for healthy, nothing in healthy) */
  reference: string;
  faults: Faults;
  /** the deploy that brings this scenario's fault to a tier of ours (none when the fault is not ours) */
  deploy: ScenarioDeploy | null;
}

export interface ScenarioDeploy {
  /** the tier a new version of which is deployed */
  service: string;
  /** the commit's message */
  change: string;
}

/** What the shop's tiers run when healthy; releases.ts derives each scenario's version and commit. */
export interface Releases {
  /** where the tiers' repositories live: <repository>/<tier> */
  repository: string;
  baseline: Record<string, string>;
}

export interface Catalog {
  causes: Cause[];
  scenarios: Scenario[];
  releases: Releases;
  /**
   * Whether the scenarios' keyed fields (broken, signature, reference, rootCause) are known: always in the
   * course's source; in the learner edition only with the instructor's key (DOJO_ANSWER_KEY). Without it
   * they are empty, and anything that needs them calls requireAnswers.
   */
  answers: boolean;
}

/** Throws the one-line "needs the answer key" error unless the catalog's answers are known. */
export function requireAnswers(catalog: Catalog, what: string): void {
  if (!catalog.answers) throw missingAnswerKey(what);
}

/** A UserError: an unknown scenario id is the user's to fix, and so is a broken catalog file. */
export class CatalogError extends UserError {}

export const catalogPath = new URL('../../catalog/scenarios.yaml', import.meta.url);

const scenarioId = /^[a-z][a-z0-9-]*$/;
const textFields = ['id', 'title', 'broken', 'symptom', 'signature', 'reference'] as const;

/**
 * Validates raw catalog data; every problem is reported with the scenario it belongs to. A catalog with no
 * keyed fields (the learner edition's) takes them from `key` when one is given.
 */
export function validateCatalog(raw: unknown, key?: AnswerKey): Catalog {
  const problems: string[] = [];
  const doc = (raw ?? {}) as { causes?: unknown; scenarios?: unknown; releases?: unknown };
  const causes = Array.isArray(doc.causes) ? (doc.causes as Cause[]) : [];
  if (causes.length === 0) problems.push('causes: expected a non-empty list');
  const causeIds = new Set(causes.map((c) => c.id));
  const rawReleases = (
    typeof doc.releases === 'object' && doc.releases ? doc.releases : {}
  ) as Partial<Releases>;
  const version = /^\d+\.\d+\.\d+$/;
  const releases: Releases = { repository: String(rawReleases.repository ?? ''), baseline: {} };
  if (
    !/^https:\/\/\S+[^/]$/.test(releases.repository) ||
    typeof rawReleases.baseline !== 'object' ||
    rawReleases.baseline === null ||
    !Object.values(rawReleases.baseline).every((v) => typeof v === 'string' && version.test(v))
  ) {
    problems.push('releases: expected a repository URL and baseline versions (tier: major.minor.patch)');
  } else {
    releases.baseline = { ...rawReleases.baseline };
  }
  let rawScenarios = Array.isArray(doc.scenarios) ? (doc.scenarios as Record<string, unknown>[]) : [];
  if (rawScenarios.length === 0) problems.push('scenarios: expected a non-empty list');
  const keyless = rawScenarios.filter((s) => !scenarioKeyFields.some((f) => f in (s ?? {})));
  const answers = keyless.length === 0 || (keyless.length === rawScenarios.length && key !== undefined);
  if (keyless.length > 0 && keyless.length < rawScenarios.length)
    problems.push(
      `scenarios: ${keyless.map((s) => s.id).join(', ')} lack ${scenarioKeyFields.join(', ')}, which the others have`,
    );
  else if (keyless.length > 0)
    rawScenarios = rawScenarios.map((s) => {
      if (!key) return { ...s, broken: '', signature: '', reference: '', rootCause: null };
      const known = key.scenarios[String(s.id)];
      if (!known) problems.push(keyDoesNotCover(key, `scenario ${s.id}`));
      return { ...s, ...known };
    });
  const seen = new Set<string>();
  const scenarios: Scenario[] = rawScenarios.map((s, i) => {
    const where = `scenarios[${i}]${typeof s.id === 'string' ? ` (${s.id})` : ''}`;
    for (const f of textFields) {
      if (!answers && (scenarioKeyFields as readonly string[]).includes(f)) continue;
      if (typeof s[f] !== 'string' || (s[f] as string).trim() === '')
        problems.push(`${where}: "${f}" must be text`);
    }
    const id = String(s.id);
    if (!scenarioId.test(id)) problems.push(`${where}: id must be lower-case words joined by "-"`);
    if (seen.has(id)) problems.push(`${where}: duplicate id`);
    seen.add(id);
    const rc = s.rootCause as RootCause | null | undefined;
    if (!answers) {
      // no key: nothing to check the (empty) keyed fields against
    } else if (id === 'healthy') {
      if (rc != null) problems.push(`${where}: healthy has no root cause`);
    } else if (!rc || !rc.service || !rc.span || !rc.cause) {
      problems.push(`${where}: rootCause needs service, span and cause`);
    } else if (!causeIds.has(rc.cause)) {
      problems.push(`${where}: rootCause.cause "${rc.cause}" is not one of the catalog's causes`);
    } else if (
      rc.otherSpans !== undefined &&
      !(Array.isArray(rc.otherSpans) && rc.otherSpans.every((x) => typeof x === 'string' && x))
    ) {
      problems.push(`${where}: rootCause.otherSpans must be a list of span names`);
    }
    const faults: Faults = { ...healthyFaults };
    const rawFaults = (s.faults ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(rawFaults)) {
      if (!(key in healthyFaults)) {
        problems.push(`${where}: unknown fault switch "${key}"`);
        continue;
      }
      const expected = typeof healthyFaults[key as keyof Faults];
      if (typeof value !== expected) problems.push(`${where}: fault "${key}" must be a ${expected}`);
      else (faults as Record<string, unknown>)[key] = value;
    }
    if (id !== 'healthy' && Object.keys(rawFaults).length === 0) problems.push(`${where}: breaks nothing`);
    const deploy = (s.deploy ?? null) as ScenarioDeploy | null;
    if (deploy !== null) {
      if (id === 'healthy') problems.push(`${where}: healthy deploys nothing`);
      if (typeof deploy.service !== 'string' || !(deploy.service in releases.baseline))
        problems.push(`${where}: deploy.service must be one of releases.baseline's tiers`);
      if (typeof deploy.change !== 'string' || deploy.change.trim() === '')
        problems.push(`${where}: deploy.change must be the commit's message`);
    }
    return {
      id,
      title: String(s.title),
      broken: String(s.broken),
      symptom: String(s.symptom),
      rootCause: rc ?? null,
      signature: String(s.signature),
      reference: String(s.reference),
      faults,
      deploy,
    };
  });
  if (!seen.has('healthy')) problems.push('scenarios: the catalog needs a "healthy" scenario');
  if (problems.length > 0) throw new CatalogError(`scenario catalog: ${problems.join('; ')}`);
  return { causes, scenarios, releases, answers };
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (!cached) {
    const raw = parse(readFileSync(catalogPath, 'utf8')) as { scenarios?: Record<string, unknown>[] };
    const keyless = !scenarioKeyFields.some((f) => f in (raw?.scenarios?.[0] ?? {}));
    cached = validateCatalog(raw, keyless ? answerKeyFromEnv() : undefined);
  }
  return cached;
}

/** The scenario with this id, or a user-facing error naming the ones that exist. */
export function findScenario(
  id: string,
  catalog: Catalog = loadCatalog(),
  env: NodeJS.ProcessEnv = process.env,
): Scenario {
  if (id === mysteryId) {
    // A tier (or the pipeline) of a lab running a mystery: its faults come sealed in DOJO_MYSTERY.
    const mystery = openMystery(env.DOJO_MYSTERY);
    if (mystery) return mystery;
    throw new CatalogError(
      'a mystery scenario is started with `dojo scenario set --mystery [<id>]`, not by name; its tiers need DOJO_MYSTERY',
    );
  }
  const found = catalog.scenarios.find((s) => s.id === id);
  if (!found) {
    throw new CatalogError(
      `unknown scenario "${id}"; choose one of: ${catalog.scenarios.map((s) => s.id).join(', ')}`,
    );
  }
  return found;
}
