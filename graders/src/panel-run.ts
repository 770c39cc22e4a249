// Runs a dashboard panel's queries as Grafana would over a time range: TraceQL metrics targets through
// /api/metrics (start and end in seconds, the target's step), expression targets through the
// server-side expressions, search targets through /api/search with the target's limit and spss.
import type { PanelView, TempoTarget } from './dashboard-model.ts';
import { evaluateSteps, type Step } from './grafana-expressions.ts';
import type { Results } from './grafana-math.ts';
import { TempoClient, type TraceMatch } from './tempo-client.ts';
import { type MetricsSeriesView, TempoMetricsClient } from './tempo-metrics.ts';

export interface TimeRange {
  /** unix seconds */
  start: number;
  end: number;
}

/** A metrics answer as expression input: one series per Tempo series, or "no data" when there are none. */
export function toResults(series: MetricsSeriesView[]): Results {
  if (series.length === 0) return [{ kind: 'nodata' }];
  return series.map((s) => ({
    kind: 'series',
    labels: s.labels,
    points: s.points.map((p) => ({ t: p.tMs, v: p.value })),
  }));
}

export function metricsStep(client: TempoMetricsClient, t: TempoTarget, range: TimeRange): Step {
  return {
    refId: t.refId,
    kind: 'query',
    run: async () =>
      toResults(
        await client.query({
          query: t.query,
          start: range.start,
          end: range.end,
          instant: t.instant,
          ...(t.step ? { step: t.step } : {}),
        }),
      ),
  };
}

/** Every target's results over `range` in one tenant of the Tempo at `tempoUrl`, by refId. */
export async function runMetricsTargets(
  panel: PanelView,
  tempoUrl: string,
  tenant: string,
  range: TimeRange,
): Promise<Map<string, Results>> {
  const metrics = new TempoMetricsClient(tempoUrl, tenant);
  const steps: Step[] = panel.targets
    .filter((t) => t.kind === 'expression' || t.metrics)
    .map((t) =>
      t.kind === 'tempo'
        ? metricsStep(metrics, t, range)
        : { refId: t.refId, kind: 'expression', model: t.model },
    );
  return evaluateSteps(steps);
}

/** A search target's traces, as Grafana's table lists them (the panel's limit and spans per set). */
export function runSearch(
  target: TempoTarget,
  tempoUrl: string,
  tenant: string,
  range: TimeRange,
): Promise<TraceMatch[]> {
  return new TempoClient(tempoUrl, 15_000, tenant).search(target.query, {
    start: range.start,
    end: range.end,
    limit: target.limit ?? 20,
    spss: target.spss ?? 3,
  });
}
