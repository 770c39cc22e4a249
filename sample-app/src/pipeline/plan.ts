// Plans one change's journey from commit to production as a tree of spans with simulated timings: the
// root (jenkins, the pipeline run) starts at the commit and ends when the change is live in production,
// so its duration is the change's lead time. Pure: the same change and random source give the same plan.
import type { DeliveryProfile } from './organisation.ts';
import type { Random } from './random.ts';

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface PlannedSpan {
  service: 'jenkins' | 'argocd';
  name: string;
  kind: 'server' | 'internal';
  startMs: number;
  endMs: number;
  attributes: Attributes;
  /** status error with this message */
  error?: string;
  events?: { name: string; timeMs: number; attributes?: Attributes }[];
  /** a fixed span id (16 hex digits), so a later run of the emitter can continue the trace below it */
  spanId?: string;
  children: PlannedSpan[];
}

export interface PlannedTrace {
  /** a fixed trace id (32 hex digits); random when absent */
  traceId?: string;
  /** continue an existing trace: the root is then a child of this span of trace `traceId` */
  parentSpanId?: string;
  root: PlannedSpan;
}

export interface Release {
  version: string;
  revision: string;
}

export interface Change extends Release {
  /** the delivered service (what argocd deploys), e.g. "api" */
  service: string;
  message: string;
  /** vcs.repository.url.full */
  repository: string;
  /** the Jenkins build number */
  runId: number;
  profile: DeliveryProfile;
  /** what production runs before this change: a rollback restores it */
  previous?: Release;
  /** when the trace's last span ends: the production deploy, the failed stage, or the end of a rollback */
  endMs: number;
  /** fixed ids for a change another run of the emitter must find again (a scenario's deploy) */
  ids?: { traceId: string; deploySpanId: string };
}

const minute = 60_000;

interface Step {
  task: string;
  type?: 'build' | 'test' | 'deploy';
  environment?: 'staging' | 'production';
  durationMs: number;
  attempt: number;
  failure?: { type: string; message: string };
  attributes?: Attributes;
}

/** The stages a change goes through, with durations and outcomes; stops at a stage that fails for good. */
function steps(change: Change, random: Random): { steps: Step[]; restoreMs?: number; detectMs?: number } {
  const p = change.profile;
  const out: Step[] = [
    {
      task: 'commit',
      // From the commit to the pipeline picking it up: review, merge, the CI queue.
      durationMs: random.logNormal(6 * minute, 0.9, 30_000, 90 * minute),
      attempt: 1,
    },
  ];
  const stage = (
    task: string,
    type: Step['type'],
    duration: () => number,
    flaky: number,
    broken: number,
    failure: { type: string; message: string },
    environment?: Step['environment'],
  ): boolean => {
    const fails = random.chance(broken) ? 2 : random.chance(flaky) ? 1 : 0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const failed = attempt <= fails;
      out.push({
        task,
        type,
        ...(environment ? { environment } : {}),
        // A failing attempt stops part-way through.
        durationMs: duration() * (failed ? random.between(0.2, 0.9) : 1),
        attempt,
        ...(failed ? { failure } : {}),
      });
      if (!failed) return true;
    }
    return false;
  };
  const ok =
    stage(
      'build',
      'build',
      () => random.logNormal(5 * minute, 0.4, 2 * minute, 15 * minute),
      p.flakyBuild,
      p.brokenBuild,
      { type: 'build_failed', message: 'compilation failed' },
    ) &&
    stage(
      'test',
      'test',
      () => random.logNormal(12 * minute, 0.45, 4 * minute, 40 * minute),
      p.flakyTests,
      p.brokenTests,
      { type: 'tests_failed', message: `${1 + Math.floor(random.next() * 4)} tests failed` },
    );
  if (!ok) return { steps: out };
  stage('package', 'build', () => random.logNormal(2.5 * minute, 0.4, minute, 8 * minute), 0, 0, {
    type: 'package_failed',
    message: 'image push failed',
  });
  stage(
    'deploy-staging',
    'deploy',
    () => random.logNormal(3.5 * minute, 0.35, 1.5 * minute, 10 * minute),
    0,
    0,
    { type: 'sync_failed', message: 'sync failed' },
    'staging',
  );
  const manual = random.chance(p.manualApproval);
  out.push({
    task: 'approval',
    // A person signs off in minutes to hours; the automatic policy check takes seconds.
    durationMs: manual
      ? random.logNormal(50 * minute, 0.9, 12 * minute, 5 * 60 * minute)
      : random.between(5_000, 45_000),
    attempt: 1,
    attributes: { 'app.approval.mode': manual ? 'manual' : 'automatic' },
  });
  stage(
    'deploy-production',
    'deploy',
    () => random.logNormal(4 * minute, 0.35, 1.5 * minute, 12 * minute),
    p.flakySync,
    0,
    { type: 'sync_failed', message: 'sync failed: health check timed out' },
    'production',
  );
  if (!random.chance(p.rollback)) return { steps: out };
  const detectMs = random.logNormal(15 * minute, 0.6, 4 * minute, 60 * minute);
  return { steps: out, detectMs, restoreMs: detectMs + random.between(2 * minute, 6 * minute) };
}

const regressions = [
  'error rate 7.4 % (SLO 1 %) over 5 min',
  'p99 latency 2.3 s (SLO 800 ms) over 10 min',
  'crash loop: 4 restarts in 3 min',
  'error rate 12 % (SLO 1 %) over 5 min',
];

export function planChange(change: Change, random: Random): PlannedTrace {
  const { steps: list, restoreMs, detectMs } = steps(change, random);
  const gaps = list.map((_, i) => (i === 0 ? 0 : random.between(5_000, 60_000)));
  const busyMs = list.reduce((n, s, i) => n + s.durationMs + gaps[i]!, 0);
  const endOfStages = change.endMs - (restoreMs ?? 0);
  const commitMs = endOfStages - busyMs;
  const pipeline = `${change.service}-delivery`;
  const common: Attributes = {
    'cicd.pipeline.name': pipeline,
    'cicd.pipeline.run.id': String(change.runId),
    'vcs.repository.url.full': change.repository,
    'vcs.ref.head.revision': change.revision,
    'git.commit.sha': change.revision,
    'app.release.service': change.service,
    'app.release.version': change.version,
  };
  const last = list.at(-1)!;
  const delivered = last.task === 'deploy-production' && !last.failure;
  const failed = list.find((s, i) => s.failure && list[i + 1]?.task !== s.task);
  const root: PlannedSpan = {
    service: 'jenkins',
    name: `RUN ${pipeline}`,
    kind: 'server',
    startMs: commitMs,
    endMs: endOfStages,
    attributes: {
      ...common,
      'cicd.pipeline.action.name': 'RUN',
      'cicd.pipeline.result': delivered ? 'success' : 'failure',
      'cicd.pipeline.run.url.full': `https://jenkins.dojo.example/job/${pipeline}/${change.runId}/`,
      'vcs.ref.head.name': 'main',
      'vcs.ref.head.type': 'branch',
      ...(failed ? { 'error.type': failed.failure!.type } : {}),
    },
    ...(failed ? { error: `${failed.task}: ${failed.failure!.message}` } : {}),
    children: [],
  };
  let at = commitMs;
  let production: PlannedSpan | undefined;
  list.forEach((s, i) => {
    at += gaps[i]!;
    const deploy = s.environment !== undefined;
    const app = `${change.service}-${s.environment}`;
    const span: PlannedSpan = {
      service: deploy ? 'argocd' : 'jenkins',
      name: deploy ? `SYNC ${app}` : s.task,
      kind: deploy ? 'server' : 'internal',
      startMs: at,
      endMs: at + s.durationMs,
      attributes: {
        ...common,
        'cicd.pipeline.task.name': s.task,
        'cicd.pipeline.task.run.id': `${change.runId}.${i + 1}`,
        'cicd.pipeline.task.run.result': s.failure ? 'failure' : 'success',
        'app.task.attempt': s.attempt,
        ...(s.type ? { 'cicd.pipeline.task.type': s.type } : {}),
        ...(deploy
          ? {
              'cicd.pipeline.action.name': 'SYNC',
              'deployment.environment.name': s.environment!,
              'deployment.name': app,
              'deployment.id': `${app}-${change.runId}-${s.attempt}`,
            }
          : {}),
        ...(s.task === 'commit'
          ? {
              'git.commit.time': new Date(at).toISOString(),
              'git.commit.message': change.message,
              'vcs.ref.head.name': 'main',
            }
          : {}),
        ...(s.failure ? { 'error.type': s.failure.type } : {}),
        ...s.attributes,
      },
      ...(s.failure ? { error: s.failure.message } : {}),
      children: [],
    };
    if (s.environment === 'production' && !s.failure) {
      production = span;
      if (change.ids) span.spanId = change.ids.deploySpanId;
    }
    root.children.push(span);
    at = span.endMs;
  });
  // Exactly the last stage's end (not endOfStages, which differs by rounding): lead time is the root's duration.
  root.endMs = at;
  if (production && restoreMs !== undefined && detectMs !== undefined) {
    production.children.push(
      rollbackSpan(
        change,
        production.endMs,
        production.endMs + restoreMs,
        detectMs,
        random.pick(regressions),
      ),
    );
  }
  return { ...(change.ids ? { traceId: change.ids.traceId } : {}), root };
}

/**
 * The rollback of a change that broke production, below its production deploy: it starts when the bad
 * version went live and ends when the previous version is back, so its duration is the time to restore.
 */
export function rollbackSpan(
  change: Pick<Change, 'service' | 'version' | 'revision' | 'repository' | 'runId' | 'previous'>,
  liveMs: number,
  restoredMs: number,
  detectMs: number,
  regression: string,
): PlannedSpan {
  const app = `${change.service}-production`;
  return {
    service: 'argocd',
    name: `ROLLBACK ${app}`,
    kind: 'server',
    startMs: liveMs,
    endMs: restoredMs,
    attributes: {
      'cicd.pipeline.name': `${change.service}-delivery`,
      'cicd.pipeline.run.id': String(change.runId),
      'cicd.pipeline.task.name': 'rollback',
      'cicd.pipeline.task.type': 'deploy',
      'cicd.pipeline.task.run.result': 'success',
      'cicd.pipeline.action.name': 'SYNC',
      'vcs.repository.url.full': change.repository,
      'vcs.ref.head.revision': change.revision,
      'git.commit.sha': change.revision,
      'app.release.service': change.service,
      'app.release.version': change.version,
      'deployment.environment.name': 'production',
      'deployment.name': app,
      ...(change.previous
        ? {
            'app.rollback.to.version': change.previous.version,
            'app.rollback.to.revision': change.previous.revision,
          }
        : {}),
    },
    events: [
      {
        name: 'regression detected',
        timeMs: Math.min(restoredMs, liveMs + detectMs),
        attributes: { 'app.regression': regression },
      },
    ],
    children: [],
  };
}
