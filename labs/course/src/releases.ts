// Which version and commit each of the shop's tiers runs in each scenario, derived from the catalog alone,
// so the tiers' resources, the pipeline's deploy traces, the question bank and the graders agree.
import { createHash } from 'node:crypto';
import { type Catalog, findScenario, loadCatalog, type Scenario } from './catalog.ts';
import { seedFromEnv } from './variants.ts';

export interface TierRelease {
  service: string;
  version: string;
  /** the commit's sha (40 hex digits), what vcs.ref.head.revision and git.commit.sha carry */
  revision: string;
  /** vcs.repository.url.full */
  repository: string;
  /** the commit's message */
  change: string;
  /** the scenario whose deploy this is; "healthy" for the baseline */
  scenario: string;
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

function baseline(service: string, catalog: Catalog): TierRelease {
  const version = catalog.releases.baseline[service] ?? '1.0.0';
  return {
    service,
    version,
    revision: sha(`tracing-dojo\0${service}\0baseline`),
    repository: `${catalog.releases.repository}/${service}`,
    change: `Release ${service} ${version}`,
    scenario: 'healthy',
  };
}

/**
 * The release `service` runs while `scenarioId` is active: the scenario's own deploy when it deploys that
 * tier (the baseline version with the patch number raised by its place among the tier's deploys),
 * otherwise the baseline. A learner's seed (DOJO_SEED, which the lab passes to the tiers and the
 * pipeline) goes into a deploy's commit, so each learner's lab ships commits of its own.
 */
export function releaseOf(
  service: string,
  scenarioId: string,
  catalog: Catalog = loadCatalog(),
  seed: string | undefined = seedFromEnv(),
): TierRelease {
  const scenario = findScenario(scenarioId, catalog);
  const base = baseline(service, catalog);
  if (scenario.deploy?.service !== service) return base;
  const deployers = catalog.scenarios.filter((s) => s.deploy?.service === service);
  const [major, minor, patch] = base.version.split('.').map(Number) as [number, number, number];
  return {
    ...base,
    version: `${major}.${minor}.${patch + 1 + deployers.indexOf(scenario)}`,
    revision: sha(`tracing-dojo\0${service}\0${scenario.id}${seed === undefined ? '' : `\0${seed}`}`),
    change: scenario.deploy.change,
    scenario: scenario.id,
  };
}

/** The release of every tier the catalog versions, while `scenarioId` is active. */
export function labReleases(scenarioId: string, catalog: Catalog = loadCatalog()): TierRelease[] {
  return Object.keys(catalog.releases.baseline).map((service) => releaseOf(service, scenarioId, catalog));
}

/** The scenario that deploys this commit, if any (for graders and tests that start from a sha). */
export function scenarioOfRevision(revision: string, catalog: Catalog = loadCatalog()): Scenario | undefined {
  return catalog.scenarios.find(
    (s) => s.deploy && releaseOf(s.deploy.service, s.id, catalog).revision === revision.toLowerCase(),
  );
}
