// The written explanation of a root-cause report: it must tie to the evidence (name the span or the
// service at fault, and cite a duration or a count measured in the evidence traces) and propose a fix
// that fits the cause. Words alone cannot judge reasoning: a teacher reads the prose too, and the
// check says so.
import type { RcaReport } from './answers.ts';
import type { Check } from './grade-model.ts';
import { mostUnderOneParent, type TraceView } from './trace-model.ts';

/** What a fix for each cause talks about (any one will do), besides a word that proposes something. */
const fixes: Record<string, RegExp> = {
  'missing-index': /\bindex/i,
  'n-plus-one-query':
    /\b(batch|bulk|single query|one query|= ?any|\bin ?\(|join|prefetch|eager|at once|together|all of them)/i,
  'vendor-latency':
    /\b(time ?outs?|deadline|async|asynchron|queue|cach|circuit|fallback|background|hedg|retr(y|ies)|budget)/i,
  'unhandled-vendor-error': /\b(catch|handl|declin|fallback|retr(y|ies)|circuit|graceful|402|error path)/i,
  'async-context-lost': /\b(propagat|inject|extract|context|traceparent|carr(y|ies)|link)/i,
  'network-latency':
    /\b(network|link|proxy|retr(y|ies)|time ?outs?|keep-?alive|connection|route|infrastructure)/i,
  'propagation-dropped': /\b(propagat|inject|traceparent|header|propagator)/i,
};
const proposes =
  /\b(fix|add|create|re-?create|restore|rebuild|use|replace|batch|set|configure|handle|catch|propagate|inject|pass|carry|move|cache|retry|introduce|implement|enable|change|switch|rewrite|load|should|must|needs?|would|could|put|make|keep|return|decline|wrap|call|query|repair|investigate)\b/i;

/** A name in the report and one in a trace are the same, whatever the case or surrounding blanks. */
export const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A number with a unit of time ("870 ms", "1.2 s"): its value and its unit. */
const durationText = /(\d+(?:[.,]\d+)?)\s*(µs|us|ms|milliseconds?|secs?|seconds?|s)\b/gi;

/** Numbers with a unit of time, in ms. */
function statedDurations(text: string): number[] {
  const unit: Record<string, number> = {
    us: 0.001,
    µs: 0.001,
    ms: 1,
    millisecond: 1,
    milliseconds: 1,
    s: 1000,
    sec: 1000,
    secs: 1000,
    second: 1000,
    seconds: 1000,
  };
  return [...text.matchAll(durationText)].map(
    (m) => Number(m[1]!.replace(',', '.')) * unit[m[2]!.toLowerCase()]!,
  );
}

/** Whole numbers in the text that are not part of a duration or an id. */
function statedCounts(text: string): number[] {
  const withoutDurations = text.replace(durationText, ' ');
  return [...withoutDurations.matchAll(/(?<![\w.:/-])(\d{1,4})(?![\w.:/-])/g)].map((m) => Number(m[1]));
}

/** What the evidence shows in numbers: every span's duration, and counts of the spans at fault. */
function measured(report: RcaReport, views: TraceView[]): { durations: number[]; counts: Set<number> } {
  const durations: number[] = [];
  const counts = new Set<number>();
  for (const v of views) {
    durations.push(v.durationMs, ...v.spans.map((s) => s.durationMs));
    const named = v.spans.filter((s) => same(s.service, report.service) && same(s.name, report.span));
    counts.add(named.length).add(v.spans.length).add(mostUnderOneParent(named));
    counts.add(v.spans.filter((s) => s.status === 'error').length);
    counts.add(v.spans.filter((s) => same(s.service, report.service)).length);
    const db = v.spans.filter(
      (s) => s.attributes['db.system'] !== undefined || s.name.startsWith('pg.query'),
    );
    counts.add(db.length);
  }
  counts.delete(0);
  return { durations, counts };
}

const near = (stated: number, actual: number) => Math.abs(stated - actual) <= Math.max(0.15 * actual, 5);

export function explanationCheck(report: RcaReport, views: TraceView[]): Check {
  const prose = report.prose;
  const lower = prose.toLowerCase();
  const names =
    (report.span.length > 2 && lower.includes(report.span.toLowerCase())) ||
    new RegExp(`\\b${report.service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(prose);
  const facts = measured(report, views);
  const duration = statedDurations(prose).find((d) => facts.durations.some((m) => near(d, m)));
  const count = statedCounts(prose).find((n) => n >= 2 && facts.counts.has(n));
  const cites = duration !== undefined || count !== undefined;
  const fix = (fixes[report.cause] ?? /./).test(prose) && proposes.test(prose);
  const missing = [
    ...(names ? [] : [`the span (${report.span}) or the service (${report.service}) at fault`]),
    ...(cites
      ? []
      : ['a duration or a count measured in your evidence traces (e.g. "took 870 ms", "24 queries")']),
    ...(fix ? [] : ['a fix for this cause']),
  ];
  const ok = missing.length === 0 && views.length > 0;
  return {
    id: 'rca-explanation',
    title: 'Written explanation',
    verdict: ok ? 'pass' : 'fail',
    points: ok ? 2 : 0,
    maxPoints: 2,
    expected:
      'prose that names the span or service at fault, cites what the evidence measured, and proposes a fix; a teacher also reads it, this check only finds those parts',
    found:
      prose.trim() === ''
        ? 'no prose after the front matter'
        : ok
          ? `names ${report.span || report.service}, cites ${duration !== undefined ? `${duration} ms` : `${count}`} from the evidence, proposes a fix`
          : views.length === 0
            ? 'no evidence trace could be read, so nothing to tie the prose to'
            : `it lacks ${missing.join('; ')}`,
    ...(ok
      ? {}
      : {
          hint: 'explain the chain from symptom to cause with the numbers you measured in your evidence traces, then say what to change',
        }),
  };
}
