// Lab 1's checks, as pure functions over traces the grader fetched: each says what it expected, what it
// found and what to do about it. The grader (instrumentation-grader.ts) gathers the traces and logs.
import type { Faults } from '@dojo/course';
import type { Check } from './grade-model.ts';
import type { Span, TraceView } from './trace-model.ts';

export const lab1 = {
  /** the custom span Lab 1 asks for, and its business attribute */
  customSpan: 'cart.price',
  customAttribute: 'app.cart.total_cents',
} as const;

export interface Evidence {
  /** a checkout trace (the grader's own probe) */
  checkout?: TraceView;
  /** a request that fails on purpose */
  failure?: TraceView;
  /** log lines of the tiers, as text */
  logs: string;
}

const check = (c: Omit<Check, 'points'>): Check => ({ ...c, points: c.verdict === 'pass' ? c.maxPoints : 0 });
const of = (view: TraceView | undefined, service: string) =>
  view?.spans.filter((s) => s.service === service) ?? [];
const names = (spans: Span[]) => [...new Set(spans.map((s) => s.name))].slice(0, 6).join(', ') || 'none';

export function instrumentationChecks(e: Evidence, services: string[] = ['web', 'api']): Check[] {
  const id = e.checkout?.traceId ?? '(no trace)';
  const spans = e.checkout?.spans ?? [];
  const checks: Check[] = [];
  for (const service of services) {
    const mine = of(e.checkout, service);
    const resource = mine[0]?.resource ?? {};
    const missing = ['service.version', 'deployment.environment'].filter((k) => !resource[k]);
    checks.push(
      check({
        id: `resource-${service}`,
        title: `${service} identifies itself (service.name, service.version, deployment.environment)`,
        verdict: mine.length > 0 && missing.length === 0 ? 'pass' : 'fail',
        maxPoints: 2,
        expected: `spans with service.name="${service}", service.version and deployment.environment`,
        found:
          mine.length === 0
            ? `no spans of service "${service}" in the checkout trace`
            : missing.length
              ? `missing ${missing.join(', ')}`
              : 'all three',
        lookedAt: id,
        hint: 'set OTEL_SERVICE_NAME and add the resource attributes in the SDK bootstrap (or OTEL_RESOURCE_ATTRIBUTES)',
      }),
    );
  }
  const servers = spans.filter((s) => s.kind === 'server');
  const routed = servers.filter((s) => s.attributes['http.route']);
  checks.push(
    check({
      id: 'server-spans',
      title: 'SERVER spans carry http.route',
      verdict: servers.length > 0 && routed.length === servers.length ? 'pass' : 'fail',
      maxPoints: 2,
      expected: 'every SERVER span with an http.route attribute',
      found: `${routed.length} of ${servers.length} SERVER spans have http.route`,
      lookedAt: id,
      hint: 'enable the http and express instrumentations; the route comes from Express',
    }),
  );
  const clients = spans.filter(
    (s) => s.kind === 'client' && (s.attributes['http.request.method'] || s.attributes['http.method']),
  );
  checks.push(
    check({
      id: 'client-spans',
      title: 'Outbound HTTP calls are CLIENT spans',
      verdict: clients.length > 0 ? 'pass' : 'fail',
      maxPoints: 2,
      expected: 'CLIENT spans for web → api and api → payments',
      found: `${clients.length} HTTP CLIENT spans`,
      lookedAt: id,
      hint: 'outbound calls must go through an instrumented client (node:http), not an unpatched one',
    }),
  );
  const db = spans.filter(
    (s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql',
  );
  checks.push(
    check({
      id: 'db-spans',
      title: 'PostgreSQL queries are spans with db.system',
      verdict: db.length > 0 ? 'pass' : 'fail',
      maxPoints: 2,
      expected: 'CLIENT spans with db.system = "postgresql"',
      found: `${db.length} PostgreSQL spans`,
      lookedAt: id,
      hint: 'add the pg instrumentation to the SDK bootstrap of api',
    }),
  );
  const services2 = new Set(spans.map((s) => s.service));
  const connected =
    e.checkout !== undefined &&
    e.checkout.orphans.length === 0 &&
    services2.has('web') &&
    services2.has('api') &&
    db.length > 0;
  checks.push(
    check({
      id: 'connected-trace',
      title: 'One connected trace across web → api → PostgreSQL',
      verdict: connected ? 'pass' : 'fail',
      maxPoints: 3,
      expected: 'web, api and PostgreSQL spans in ONE trace, every parent present',
      found: e.checkout
        ? `services ${[...services2].join(', ') || 'none'}; ${e.checkout.orphans.length} spans with a missing parent`
        : 'the checkout trace is not in Tempo',
      lookedAt: id,
      hint: 'a trace that stops at web means the traceparent header is not injected on the call to api',
    }),
  );
  const custom = spans.filter((s) => s.name === lab1.customSpan);
  const withAttr = custom.filter((s) => typeof s.attributes[lab1.customAttribute] === 'number');
  checks.push(
    check({
      id: 'custom-span',
      title: `Custom span ${lab1.customSpan} with ${lab1.customAttribute}`,
      verdict: withAttr.length > 0 ? 'pass' : 'fail',
      maxPoints: 3,
      expected: `a span named "${lab1.customSpan}" with a numeric ${lab1.customAttribute}`,
      found:
        custom.length === 0
          ? `no such span; api spans are: ${names(of(e.checkout, 'api'))}`
          : `the span has no numeric ${lab1.customAttribute}`,
      lookedAt: id,
      hint: `wrap the cart pricing in tracer.startActiveSpan('${lab1.customSpan}', …) and set the attribute (Lab 1, step 2)`,
    }),
  );
  const failed = e.failure?.spans.filter((s) => s.status === 'error') ?? [];
  const withException = failed.filter((s) => s.events.some((ev) => ev.name === 'exception'));
  checks.push(
    check({
      id: 'error-recorded',
      title: 'A failing request is status = error with an exception event',
      verdict: withException.length > 0 ? 'pass' : 'fail',
      maxPoints: 3,
      expected: 'a span with status error and an "exception" event in the failing request\'s trace',
      found: e.failure
        ? `${failed.length} error spans, ${withException.length} with an exception event`
        : 'the failing request left no trace',
      lookedAt: e.failure?.traceId,
      hint: 'in the error handler call span.recordException(err) and span.setStatus({ code: SpanStatusCode.ERROR })',
    }),
  );
  const logged = e.checkout !== undefined && e.logs.includes(`"trace_id":"${e.checkout.traceId}"`);
  checks.push(
    check({
      id: 'log-correlation',
      title: 'Log lines carry the trace_id of their request',
      verdict: logged ? 'pass' : 'fail',
      maxPoints: 2,
      expected: `a JSON log line with "trace_id":"${id}"`,
      found: logged ? 'found' : 'no log line with that trace_id',
      lookedAt: id,
      hint: 'write trace.getActiveSpan()?.spanContext().traceId into every log line as trace_id',
    }),
  );
  return checks;
}

/**
 * The checks a scenario makes impossible on purpose, each with the reason: in missing-propagation web
 * drops the traceparent, so the checkout trace cannot hold api's spans. The grader marks them not graded
 * instead of failing the learner (or waiting for spans that cannot come).
 */
export function checksTheScenarioPrevents(scenario: string, faults: Faults): Map<string, string> {
  const prevented = new Map<string, string>();
  if (!faults.webPropagation) {
    const why = `the lab runs ${scenario}, where web sends no traceparent to api on purpose, so api's spans start traces of their own`;
    for (const id of ['resource-api', 'db-spans', 'connected-trace', 'custom-span']) prevented.set(id, why);
  }
  return prevented;
}

/** Marks the prevented checks not graded, saying why and how to grade them. */
export function withoutPrevented(checks: Check[], prevented: Map<string, string>): Check[] {
  return checks.map((c) => {
    const why = prevented.get(c.id);
    return why
      ? {
          ...c,
          verdict: 'not-graded',
          points: 0,
          found: why,
          hint: 'grade Lab 1 on `dojo scenario set healthy`',
        }
      : c;
  });
}
