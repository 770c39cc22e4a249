// The delivery pipeline's facts the DORA lab shows, derived at build time from the scenario catalog by the
// same code the tiers and the pipeline emitter run (labs/course/src/releases.ts): versions, commits, queries.
import { validateCatalog } from '@dojo/course/catalog';
import { releaseOf } from '@dojo/course/releases';
import { catalog as rawCatalog } from './shared.ts';

const catalog = validateCatalog(rawCatalog);
/** The course's own commits: a learner's DOJO_SEED in the build's environment must not change the page. */
const release = (service: string, scenario: string) => releaseOf(service, scenario, catalog, undefined);

/** Each scenario that arrives as a deploy: the tier, its new version and commit. */
export const scenarioDeploys = catalog.scenarios
  .filter((s) => s.deploy)
  .map((s) => release(s.deploy!.service, s.id));

export const baselines = Object.keys(catalog.releases.baseline).map((service) => release(service, 'healthy'));

export const slowQueryDeploy = release('api', 'slow-query');

export const pipelineQueries = {
  /** the design document's query: every pipeline trace of one commit */
  commit: `{ resource.service.name = "jenkins" || resource.service.name = "argocd" } | { span.git.commit.sha = "${slowQueryDeploy.revision}" }`,
  slowSpans:
    '{ resource.service.name = "api" && span.db.system = "postgresql" && duration > 500ms } | select(resource.vcs.ref.head.revision, resource.service.version)',
  deploy: `{ resource.service.name = "argocd" && span.cicd.pipeline.task.name = "deploy-production" && span.vcs.ref.head.revision = "${slowQueryDeploy.revision}" }`,
  leadTimes: '{ span.cicd.pipeline.result = "success" }',
  deploys: '{ span.cicd.pipeline.task.name = "deploy-production" && status != error }',
  rollbacks: '{ span.cicd.pipeline.task.name = "rollback" }',
  stages:
    '{ span.cicd.pipeline.task.name != nil } | sum_over_time(duration) by (span.cicd.pipeline.task.name)',
  frequency: '{ span.cicd.pipeline.task.name = "deploy-production" && status != error } | count_over_time()',
  restore: '{ span.cicd.pipeline.task.name = "rollback" } | quantile_over_time(duration, .5)',
};
