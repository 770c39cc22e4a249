// Evaluates an alert rule the way Grafana's alerting does, over replayed traffic: at each tick of its
// group's interval, every query runs over its relative time range, expressions follow, and the
// condition's numbers become instance states; `for`, noDataState and execErrState then decide whether
// it is Normal, Pending, Firing, NoData or Error. Rules of Grafana's we follow are named where they apply.
import { UserError } from '@dojo/course';
import type { AlertRule } from './alerts-file.ts';
import { ExpressionError, evaluateSteps, inputRef, type Step } from './grafana-expressions.ts';
import type { Results } from './grafana-math.ts';
import { metricsStep } from './panel-run.ts';
import { seriesName } from './series-facts.ts';
import { TempoMetricsClient } from './tempo-metrics.ts';

/** One evaluation: an error, "no data" from a query, or the condition's value per instance. */
export type Evaluation =
  | { kind: 'error'; message: string }
  | { kind: 'nodata'; refIds: string[] }
  | {
      kind: 'values';
      instances: { name: string; value: number | null }[];
      watched: { name: string; value: number }[];
    };

export type State = 'Normal' | 'Pending' | 'Firing' | 'NoData' | 'Error';

export interface Timeline {
  /** first moment each notifying state was reached (unix ms) */
  firstFiring?: { atMs: number; instance: string };
  firstNoData?: { atMs: number; refIds: string[] };
  firstError?: { atMs: number; message: string };
  /** the largest number the condition compared (a threshold's input), with its instance */
  peak?: { value: number; name: string; atMs: number };
  evaluations: number;
  /** evaluations where a query returned no series, and which */
  noData: { count: number; refIds: string[] };
}

export async function evaluateRule(
  rule: AlertRule,
  tempoUrl: string,
  tenant: string,
  atMs: number,
): Promise<Evaluation> {
  const client = new TempoMetricsClient(tempoUrl, tenant);
  const at = Math.floor(atMs / 1000);
  const steps: Step[] = [
    ...rule.queries.map((q) =>
      metricsStep(
        client,
        {
          kind: 'tempo',
          refId: q.refId,
          query: q.query,
          metrics: true,
          hidden: false,
          instant: q.instant,
          ...(q.step ? { step: q.step } : {}),
        },
        {
          start: at - q.from,
          end: at - q.to,
        },
      ),
    ),
    ...rule.expressions.map((e): Step => ({ refId: e.refId, kind: 'expression', model: e.model })),
  ];
  let results: Map<string, Results>;
  try {
    results = await evaluateSteps(steps);
  } catch (e) {
    if (e instanceof ExpressionError || e instanceof UserError) return { kind: 'error', message: e.message };
    throw e;
  }
  // Grafana: any data source query without data makes the whole evaluation NoData.
  const empty = rule.queries.filter((q) => results.get(q.refId)?.every((v) => v.kind === 'nodata'));
  if (empty.length) return { kind: 'nodata', refIds: empty.map((q) => q.refId) };
  const condition = results.get(rule.condition) ?? [];
  if (condition.some((v) => v.kind === 'series'))
    return {
      kind: 'error',
      message: `condition ${rule.condition} gives time series; Grafana alerts only on reduced numbers: reduce (last, mean, max…) before the threshold`,
    };
  if (condition.length === 0 || condition.every((v) => v.kind === 'nodata'))
    return { kind: 'nodata', refIds: [] };
  const thresholdOf = rule.expressions.find(
    (e) => e.refId === rule.condition && e.model.type === 'threshold',
  );
  const watchedRef = thresholdOf ? inputRef(thresholdOf.model) : rule.condition;
  const watched = (results.get(watchedRef) ?? []).flatMap((v) =>
    v.kind === 'number' && v.value !== null && Number.isFinite(v.value)
      ? [{ name: seriesName(v.labels), value: v.value }]
      : [],
  );
  return {
    kind: 'values',
    instances: condition.flatMap((v) =>
      v.kind === 'number' ? [{ name: seriesName(v.labels), value: v.value }] : [],
    ),
    watched,
  };
}

/**
 * Runs the rule from `fromMs` to `toMs` at its interval and follows Grafana's state rules: a non-zero
 * (or NaN) condition is Alerting, 0 is Normal, null is NoData; Alerting becomes Firing after `for`.
 */
export async function runTimeline(
  rule: AlertRule,
  tempoUrl: string,
  tenant: string,
  fromMs: number,
  toMs: number,
): Promise<Timeline> {
  const tl: Timeline = { evaluations: 0, noData: { count: 0, refIds: [] } };
  const pendingSince = new Map<string, number>();
  let previous: string[] = [];
  const step = rule.intervalSeconds * 1000;
  for (let t = fromMs; t <= toMs; t += step) {
    const ev = await evaluateRule(rule, tempoUrl, tenant, t);
    tl.evaluations++;
    // What the rule's settings turn an error or "no data" into.
    let alerting: string[] = [];
    if (ev.kind === 'nodata') tl.noData = { count: tl.noData.count + 1, refIds: ev.refIds };
    if (ev.kind === 'error' || ev.kind === 'nodata') {
      const mode = ev.kind === 'error' ? rule.execErrState : rule.noDataState;
      if (mode === 'Alerting') alerting = ['(all)'];
      else if (mode === 'KeepLast') alerting = previous;
      else if (mode === 'Error' && ev.kind === 'error') tl.firstError ??= { atMs: t, message: ev.message };
      else if (mode === 'NoData' && ev.kind === 'nodata') tl.firstNoData ??= { atMs: t, refIds: ev.refIds };
      if (mode !== 'Alerting' && mode !== 'KeepLast') pendingSince.clear();
    } else {
      for (const w of ev.watched) if (!tl.peak || w.value > tl.peak.value) tl.peak = { ...w, atMs: t };
      alerting = ev.instances.filter((i) => i.value !== null && i.value !== 0).map((i) => i.name);
      if (ev.instances.some((i) => i.value === null))
        tl.firstNoData ??= { atMs: t, refIds: [rule.condition] };
    }
    for (const name of [...pendingSince.keys()]) if (!alerting.includes(name)) pendingSince.delete(name);
    for (const name of alerting) {
      const since = pendingSince.get(name) ?? t;
      pendingSince.set(name, since);
      if (t - since >= rule.forSeconds * 1000) tl.firstFiring ??= { atMs: t, instance: name };
    }
    previous = alerting;
  }
  return tl;
}
