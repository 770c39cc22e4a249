// Which panel of a learner's dashboard does which job the lab asks for (request rate, error ratio, p95
// latency, a search table), told from what its queries compute rather than from its title.
import { parseTraceQL } from '@dojo/traceql';
import type { PanelView, TempoTarget } from './dashboard-model.ts';
import { expressionInputs } from './grafana-expressions.ts';

export const roles = ['rate', 'errors', 'p95', 'search'] as const;
export type Role = (typeof roles)[number];

export const roleTitles: Record<Role, string> = {
  rate: 'Request rate per service and route',
  errors: 'Error ratio per service and route',
  p95: 'p95 latency per service and route',
  search: 'A TraceQL search table of failing or slow requests',
};

export const roleAsks: Record<Role, string> = {
  rate: 'a time series of requests per second (TraceQL metrics rate()) over SERVER spans, one series per service and route',
  errors:
    'a time series of the share of requests that fail, per service and route: failing SERVER spans divided by all of them, with a math expression',
  p95: 'a time series of the 95th percentile of SERVER span durations (quantile_over_time), per service and route',
  search: 'a table panel whose TraceQL search (not a metrics query) lists the requests that fail or are slow',
};

export interface RoleMatch {
  panel: PanelView;
  /** the target (or expression) whose results do the job */
  refId: string;
  /** set when the panel comes close but does not do the job; says what is off */
  nearMiss?: string;
}

const errorFilter = /\bstatus\s*=\s*error\b/;

function metricsFn(t: TempoTarget): { fn: string; quantiles: readonly number[] } | undefined {
  const parsed = parseTraceQL(t.query);
  const m = parsed.ok ? parsed.query.metrics : undefined;
  return m ? { fn: m.fn, quantiles: m.quantiles } : undefined;
}

function matchOne(panel: PanelView, role: Role): RoleMatch | undefined {
  const tempo = panel.targets.filter((t): t is TempoTarget => t.kind === 'tempo');
  switch (role) {
    case 'search': {
      const t = tempo.find((x) => !x.metrics && !x.hidden);
      return t && { panel, refId: t.refId };
    }
    case 'p95': {
      const qs = tempo.filter((x) => metricsFn(x)?.fn === 'quantile_over_time');
      const t = qs.find((x) => metricsFn(x)!.quantiles.includes(0.95));
      if (t) return { panel, refId: t.refId };
      if (qs[0])
        return {
          panel,
          refId: qs[0].refId,
          nearMiss: `computes quantile ${metricsFn(qs[0])!.quantiles.join(', ')}, not 0.95`,
        };
      return undefined;
    }
    case 'rate': {
      const rates = tempo.filter((x) => !errorFilter.test(x.query));
      const t = rates.find((x) => metricsFn(x)?.fn === 'rate');
      if (t) return { panel, refId: t.refId };
      const counts = rates.find((x) => metricsFn(x)?.fn === 'count_over_time');
      return counts
        ? {
            panel,
            refId: counts.refId,
            nearMiss: 'counts spans per step (count_over_time); the panel asks requests per second: rate()',
          }
        : undefined;
    }
    default: {
      const errorRefs = new Set(
        tempo.filter((x) => errorFilter.test(x.query) && x.metrics).map((x) => x.refId),
      );
      if (errorRefs.size === 0) return undefined;
      for (const e of panel.targets) {
        if (e.kind !== 'expression' || e.model.type !== 'math') continue;
        const found = expressionInputs(e.model);
        if (
          'inputs' in found &&
          found.inputs.some((r) => errorRefs.has(r)) &&
          found.inputs.some((r) => !errorRefs.has(r))
        )
          return { panel, refId: e.refId };
      }
      return {
        panel,
        refId: [...errorRefs][0]!,
        nearMiss:
          'shows how many errors there are, not which share of requests fail: divide by all requests with a math expression ($A / $B)',
      };
    }
  }
}

/** For each role, the first panel that does it (a panel that only comes close is kept if nothing does). */
export function findRoles(panels: PanelView[]): Record<Role, RoleMatch | undefined> {
  const out = {} as Record<Role, RoleMatch | undefined>;
  for (const role of roles) {
    const matches = panels.map((p) => matchOne(p, role)).filter((m): m is RoleMatch => m !== undefined);
    out[role] = matches.find((m) => !m.nearMiss) ?? matches[0];
  }
  return out;
}
