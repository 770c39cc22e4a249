// The reference root-cause report for a scenario: the catalog's root cause with evidence traces found by
// the scenario's reference query. The benchmark grades it, and tests check that the catalog's reference
// query, its root cause and the RCA grader's evidence check agree on every scenario.
import type { Scenario } from '@dojo/labs';

export function referenceRca(scenario: Scenario, evidence: string[]): string {
  const truth = scenario.rootCause;
  if (!truth) throw new Error(`scenario ${scenario.id} has no root cause to report`);
  const { service, span, cause } = truth;
  return (
    `---\nscenario: "${scenario.id}"\nservice: "${service}"\nspan: "${span}"\ncause: "${cause}"\n` +
    `evidence:\n${evidence.map((id) => `  - ${id}\n`).join('')}---\n` +
    `${scenario.symptom} ${scenario.broken} The trace ${evidence[0]} shows it in the ${service} span ${span}.\n`
  );
}
