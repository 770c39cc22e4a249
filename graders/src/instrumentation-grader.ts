// `dojo grade instrumentation` (Lab 1): sends its own probe requests through the shop, fetches their
// traces from Tempo by id, reads the tiers' logs, and runs the Lab 1 checks on what it found.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findScenario, labPaths, mysteryId, portsFor, type Scenario } from '@dojo/course';
import { type Grade, GradingError } from './grade-model.ts';
import {
  checksTheScenarioPrevents,
  instrumentationChecks,
  withoutPrevented,
} from './instrumentation-checks.ts';
import { noRunningLab, type RunningLab } from './running-lab.ts';
import type { TempoClient } from './tempo-client.ts';
import type { TraceView } from './trace-model.ts';

export interface InstrumentationTarget {
  /** the shop's web tier (default WEB_URL, else the lab's port) */
  webUrl?: string;
  /** where the tiers' logs are (default: the local lab's, by DOJO_STATE_DIR) */
  logsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** the lab, which knows the real scenario behind a mystery */
  lab?: RunningLab;
}

interface Probe {
  /** from web's traceresponse header; undefined when web did not trace the request */
  traceId?: string;
  sampled: boolean;
  status: number;
}

async function probe(web: string, path: string, init: RequestInit = {}): Promise<Probe> {
  let res: Response;
  try {
    res = await fetch(`${web}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
  } catch {
    throw new GradingError(`the shop does not answer at ${web}; start the lab with \`make lab-up\``);
  }
  // No traceparent is sent: the probe starts its trace at web, as a shopper's request does, and web
  // names the trace in its traceresponse header (version-traceid-spanid-flags).
  const [, traceId, , flags] = (res.headers.get('traceresponse') ?? '').split('-');
  return {
    ...(traceId ? { traceId } : {}),
    sampled: (Number.parseInt(flags ?? '0', 16) & 1) === 1,
    status: res.status,
  };
}

/** The scenario the shop runs, as web reports it on /healthz (the same in local and kind mode). */
async function runningScenario(web: string, lab: RunningLab): Promise<Scenario> {
  let scenario: string | undefined;
  try {
    const res = await fetch(`${web}/healthz`, { signal: AbortSignal.timeout(5000) });
    ({ scenario } = (await res.json()) as { scenario?: string });
  } catch {
    throw new GradingError(`the shop does not answer at ${web}/healthz; start the lab with \`make lab-up\``);
  }
  // A mystery is the shop's secret; the lab's own record says which scenario it is.
  if (scenario === mysteryId) {
    const truth = await lab.scenario();
    if (!truth)
      throw new GradingError(
        "the shop runs a mystery scenario and no lab record says which; grade from the lab's checkout with `npx dojo grade instrumentation`",
      );
    return findScenario(truth);
  }
  return findScenario(scenario ?? 'healthy');
}

/**
 * Polls Tempo until the trace holds every span the scenario can produce for it (`complete`), so no
 * scenario waits for a span it never makes. Once web's entry span is in, the rest gets a short grace:
 * api exports within its 0.5 s batch delay, so a longer wait only means the span is not coming.
 */
async function fetchTrace(tempo: TempoClient, traceId: string, complete: (v: TraceView) => boolean) {
  const started = Date.now();
  let last: TraceView | undefined;
  let entrySeenAt: number | undefined;
  while (Date.now() - started < 20_000 && (entrySeenAt === undefined || Date.now() - entrySeenAt < 5000)) {
    last = (await tempo.trace(traceId)) ?? last;
    if (last && complete(last)) return last;
    if (entrySeenAt === undefined && last?.spans.some((s) => s.service === 'web' && s.kind === 'server'))
      entrySeenAt = Date.now();
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

const has = (v: TraceView, service: string, test: (s: TraceView['spans'][number]) => boolean) =>
  v.spans.some((s) => s.service === service && test(s));

export async function gradeInstrumentation(
  tempo: TempoClient,
  target: InstrumentationTarget = {},
): Promise<Grade> {
  const env = target.env ?? process.env;
  const web = target.webUrl ?? env.WEB_URL ?? `http://127.0.0.1:${portsFor(env).web}`;
  const scenario = await runningScenario(web, target.lab ?? noRunningLab);
  const { faults } = scenario;
  // Scenarios that fail a share of checkouts on purpose (error-cascade, network-latency) get a few tries
  // at a placed order, whose trace holds every span a checkout makes.
  let checkoutProbe: Probe | undefined;
  for (let tries = 0; tries < 3 && checkoutProbe?.status !== 201; tries++) {
    checkoutProbe = await probe(web, '/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'productId=21&quantity=1&customerId=7',
    });
  }
  if (!checkoutProbe) throw new GradingError('no checkout probe was sent');
  const failureProbe = await probe(web, '/products/not-a-number');
  // What this scenario can put in each probe's trace: api only if web passes the context on, and the
  // confirmation job only after an order was placed and only if the job keeps the checkout's context.
  const reachesApi = faults.webPropagation;
  const jobInTrace = reachesApi && faults.jobContextPropagated && checkoutProbe.status === 201;
  const settled = (v: TraceView, job: boolean) =>
    has(v, 'web', (s) => s.kind === 'server') &&
    (!reachesApi || has(v, 'api', (s) => s.kind === 'server')) &&
    (!job || v.spans.some((s) => s.name === 'order.confirm'));
  const traced = (p: Probe, job: boolean) =>
    p.traceId && p.sampled ? fetchTrace(tempo, p.traceId, (v) => settled(v, job)) : undefined;
  const [checkout, failure] = await Promise.all([
    traced(checkoutProbe, jobInTrace),
    traced(failureProbe, false),
  ]);
  const logsDir = target.logsDir ?? labPaths(env).logsDir;
  const logs = ['web.log', 'api.log']
    .map((f) => join(logsDir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const checks = withoutPrevented(
    instrumentationChecks({ ...(checkout ? { checkout } : {}), ...(failure ? { failure } : {}), logs }),
    checksTheScenarioPrevents(scenario.id, faults),
  );
  return {
    lab: 'instrumentation',
    title: 'Lab 1 — instrumentation',
    checks: checks.map((c) => {
      const p = c.id === 'error-recorded' ? failureProbe : checkoutProbe;
      if (c.verdict !== 'fail' || (p.traceId && p.sampled)) return c;
      // Say why there was no trace to look at: an untraced web fails Lab 1, a sampled-out probe is not graded.
      return p.traceId
        ? {
            ...c,
            verdict: 'not-graded',
            found: 'web did not sample the probe (traceresponse flags 00): head sampling is on',
            hint: 'grade with OTEL_TRACES_SAMPLER unset (every request sampled)',
          }
        : { ...c, found: `${c.found}: web answered without a traceresponse header, so it traced nothing` };
    }),
  };
}
