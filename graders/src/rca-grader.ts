// `dojo grade rca`: the root-cause report in answers/rca.md, checked against the catalog and against the
// evidence traces themselves, fetched from Tempo.
import { loadCatalog, requireAnswers, type Scenario, UserError } from '@dojo/course';
import { type RcaReport, readRca } from './answers.ts';
import type { Check, Grade } from './grade-model.ts';
import { explanationCheck, same } from './rca-prose.ts';
import { isTraceId, type TempoClient } from './tempo-client.ts';
import { mostUnderOneParent, type Span, type TraceView } from './trace-model.ts';
import { renderWaterfall } from './waterfall.ts';

/** What the named span must show in an evidence trace, for each root cause. */
const symptoms: Record<string, { says: string; shows: (span: Span[], view: TraceView) => boolean }> = {
  'missing-index': { says: 'slower than 500 ms', shows: (s) => s.some((x) => x.durationMs > 500) },
  'n-plus-one-query': {
    says: 'repeated more than 20 times under one parent',
    shows: (s) => mostUnderOneParent(s) > 20,
  },
  'vendor-latency': { says: 'slower than 1 s', shows: (s) => s.some((x) => x.durationMs > 1000) },
  'unhandled-vendor-error': { says: 'status = error', shows: (s) => s.some((x) => x.status === 'error') },
  'async-context-lost': {
    says: 'the root of its own trace (orphaned)',
    shows: (s) => s.some((x) => x.parentSpanId === ''),
  },
  'network-latency': {
    says: 'a call that spent over 300 ms more than the SERVER span answering it, or was reset unanswered',
    shows: (s, view) => s.some((x) => x.kind === 'client' && networkGapMs(x, view) > 300),
  },
  'propagation-dropped': {
    says: 'an outbound call with nothing below it in the same trace',
    shows: (s, view) =>
      s.some((x) => x.kind === 'client' && !view.spans.some((c) => c.parentSpanId === x.spanId)),
  },
};

/**
 * How much longer a CLIENT call took than the SERVER span that answered it: time on the wire. A call
 * reset before any server saw it (an error with no child) counts as all wire.
 */
function networkGapMs(client: Span, view: TraceView): number {
  const servers = view.spans.filter((c) => c.parentSpanId === client.spanId && c.kind === 'server');
  if (servers.length === 0) return client.status === 'error' ? Number.POSITIVE_INFINITY : 0;
  return client.durationMs - Math.max(...servers.map((c) => c.durationMs));
}

/** rca.md read and checked as a file (front matter, a known cause id): no lab needed. */
export function readRcaReport(answersDir: string): RcaReport {
  const report = readRca(answersDir);
  const causes = loadCatalog().causes.map((c) => c.id);
  if (!causes.includes(report.cause)) {
    throw new UserError(
      `rca.md: cause "${report.cause}" is not a cause id; choose one of: ${causes.join(', ')}`,
    );
  }
  return report;
}

export const labNotRunning =
  'the lab is not running, so rca.md cannot be compared with its scenario (the file itself is fine); start it with `make lab-up`, or name the scenario with --scenario ID';

/** Grades rca.md against the scenario the lab runs; undefined (no lab) is refused, not guessed. */
export async function gradeRca(
  answersDir: string,
  tempo: TempoClient,
  scenario: Scenario | undefined,
): Promise<Grade> {
  const report = readRcaReport(answersDir);
  requireAnswers(loadCatalog(), 'dojo grade rca');
  if (!scenario) throw new UserError(labNotRunning);
  const truth = scenario.rootCause;
  if (!truth)
    throw new UserError(
      `the lab runs "${scenario.id}", which has no root cause to report; switch to a broken scenario`,
    );
  const field = (
    id: string,
    title: string,
    mine: string,
    right: string | string[],
    points: number,
    hint: string,
  ): Check => {
    const rights = typeof right === 'string' ? [right] : right;
    const ok = rights.some((r) => same(mine, r));
    return {
      id,
      title,
      verdict: ok ? 'pass' : 'fail',
      points: ok ? points : 0,
      maxPoints: points,
      expected: rights.join(' or '),
      found: mine,
      hint,
    };
  };
  // A report names what the traces show — service, span, cause, evidence — never a scenario id, which a
  // mystery scenario does not give (a `scenario:` line in an older report is ignored).
  const checks: Check[] = [
    field(
      'rca-service',
      'Service at fault',
      report.service,
      truth.service,
      2,
      'the service whose span is the deepest place the symptom starts',
    ),
    field(
      'rca-span',
      'Span at fault',
      report.span,
      [truth.span, ...(truth.otherSpans ?? [])],
      2,
      'copy the span name exactly as Tempo shows it',
    ),
    field(
      'rca-cause',
      'Root cause',
      report.cause,
      truth.cause,
      3,
      'the cause explains the symptom, not just where it shows',
    ),
  ];
  const evidence = await evidenceChecks(report, tempo, report.cause);
  checks.push(...evidence.checks, explanationCheck(report, evidence.views));
  return { lab: 'rca', title: 'Lab 3 — root-cause report', checks };
}

async function evidenceChecks(
  report: RcaReport,
  tempo: TempoClient,
  cause: string,
): Promise<{ checks: Check[]; views: TraceView[] }> {
  const symptom = symptoms[cause]!;
  const checks: Check[] = [];
  const views: TraceView[] = [];
  for (const [i, id] of report.evidence.entries()) {
    const base = { id: `rca-evidence-${i + 1}`, title: `Evidence trace ${id}`, maxPoints: 2, lookedAt: id };
    const expected = `a trace in Tempo whose ${report.service} span "${report.span}" is ${symptom.says}`;
    if (!isTraceId(id)) {
      checks.push({
        ...base,
        verdict: 'fail',
        points: 0,
        expected,
        found: `"${id}" is not a trace id (hex)`,
        hint: 'copy trace ids from `dojo query` output',
      });
      continue;
    }
    const view = await tempo.trace(id);
    if (!view) {
      checks.push({
        ...base,
        verdict: 'fail',
        points: 0,
        expected,
        found: 'Tempo has no such trace: made up, mistyped, or emptied by a reset',
        hint: 'find fresh evidence with `dojo query`',
      });
      continue;
    }
    views.push(view);
    const named = view.spans.filter((s) => same(s.service, report.service) && same(s.name, report.span));
    const shows = named.length > 0 && symptom.shows(named, view);
    checks.push({
      ...base,
      verdict: shows ? 'pass' : 'fail',
      points: shows ? 2 : 0,
      expected,
      found:
        named.length === 0
          ? cause === 'propagation-dropped' && view.roots.some((r) => r.service !== report.service)
            ? `no ${report.service} span named "${report.span}": this trace starts at ${view.roots[0]!.service}'s "${view.roots[0]!.name}", the half that lost its parent; the fault shows in the caller's trace, whose CLIENT span has nothing below it`
            : `no ${report.service} span named "${report.span}" in this trace`
          : shows
            ? `${named.length} matching span${named.length > 1 ? 's' : ''}, ${symptom.says}`
            : `the span is there but is not ${symptom.says}`,
      hint: shows ? undefined : 'pick a trace that shows the symptom itself, not just the path it takes',
      picture: renderWaterfall(view, { width: 90, maxRows: 12 }),
    } as Check);
  }
  return { checks, views };
}
