// The reference root-cause report for a scenario: the catalog's root cause with evidence traces found by
// the scenario's reference query, and prose that cites what the first evidence trace measured and how to
// fix the cause. The benchmark grades it, and tests check that the catalog's reference query, its root
// cause and the RCA grader's checks agree on every scenario.
import type { Scenario } from '@dojo/course';
import { mostUnderOneParent, type TraceView } from './trace-model.ts';

/** The fix a report proposes for each cause, in the course's words. */
const fixes: Record<string, string> = {
  'propagation-dropped':
    "Fix: configure web's HTTP client with the W3C propagator so it injects traceparent into its calls to api.",
  'missing-index': 'Fix: recreate the GIN full-text index on product_reviews.body so the search can use it.',
  'n-plus-one-query':
    'Fix: load the recommended products with one query (WHERE id = ANY($1)) instead of one query per item.',
  'vendor-latency':
    'Fix: give the payments call a timeout and a fallback, or charge from a background queue.',
  'unhandled-vendor-error':
    "Fix: catch the vendor's failure in api and decline the payment (402) instead of failing the checkout.",
  'async-context-lost':
    "Fix: inject the checkout's trace context into the job's message and extract it when the job runs.",
  'network-latency':
    'Fix: repair the link between web and api that holds requests back and resets connections, and give web a timeout.',
};

export function referenceRca(scenario: Scenario, evidence: TraceView[]): string {
  const truth = scenario.rootCause;
  if (!truth) throw new Error(`scenario ${scenario.id} has no root cause to report`);
  const { service, span, cause } = truth;
  const first = evidence[0];
  if (!first) throw new Error('a report needs at least one evidence trace');
  const names = [span, ...(truth.otherSpans ?? [])];
  const named = first.spans.filter((s) => s.service === service && names.includes(s.name));
  const shown = named[0]?.name ?? span;
  const fact =
    cause === 'n-plus-one-query'
      ? `ran ${mostUnderOneParent(named)} times under one parent`
      : `took ${Math.round(Math.max(0, ...named.map((s) => s.durationMs)))} ms`;
  return (
    `---\nscenario: "${scenario.id}"\nservice: "${service}"\nspan: "${shown}"\ncause: "${cause}"\n` +
    `evidence:\n${evidence.map((v) => `  - ${v.traceId}\n`).join('')}---\n` +
    `${scenario.symptom} ${scenario.broken} In trace ${first.traceId}, the ${service} span ${shown} ${fact}. ` +
    `${fixes[cause] ?? ''}\n`
  );
}
