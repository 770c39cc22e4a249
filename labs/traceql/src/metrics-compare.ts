// compare(): for every attribute of the matching spans, how often each value occurs among the spans
// the selection filter picks (`__meta_type="selection"`) and among the rest ("baseline"), with per
// attribute totals ("selection_total", "baseline_total"), the top N values of each by count. The
// attributes are what Tempo's storage hands over when it "selects all" — span, resource and scope
// attributes and intrinsics, not events or links — plus a second copy of every column the query's
// own filter already fetched (Tempo counts those twice, e.g. resource.service.name).
import type { MetricsStage, Static } from './ast.ts';
import { TraceEvaluator } from './evaluate.ts';
import { type FetchPlan, planFetch, type Ref } from './fetch-plan.ts';
import type { Buckets } from './metrics-buckets.ts';
import { columnsOf, columnValue, inColumn } from './metrics-columns.ts';
import type { ExemplarPicker } from './metrics-exemplars.ts';
import type { FinalStage } from './metrics-final-stage.ts';
import type { FirstStage } from './metrics-first-stage.ts';
import { META_TYPE } from './metrics-first-stage.ts';
import {
  type Exemplar,
  filledValues,
  fromKeyValues,
  type Label,
  labelsKey,
  NIL,
  type SeriesSet,
  staticKey,
  str,
  type WireSeries,
} from './metrics-series.ts';
import { rawValues } from './metrics-values.ts';
import type { AttrValue, Span, Trace } from './model.ts';
import { fetchedCandidates } from './span-values.ts';
import { fromAttr } from './values.ts';

type Kind = 'baseline' | 'selection';

/** Intrinsics Tempo's select-all reads, in the label names it gives them. */
const SELECTED_INTRINSICS: readonly [string, Ref][] = [
  ['rootServiceName', { kind: 'intrinsic', name: 'rootServiceName' }],
  ['rootName', { kind: 'intrinsic', name: 'rootName' }],
  ['instrumentation:name', { kind: 'intrinsic', name: 'instrumentation:name' }],
  ['instrumentation:version', { kind: 'intrinsic', name: 'instrumentation:version' }],
  ['name', { kind: 'intrinsic', name: 'name' }],
  ['status', { kind: 'intrinsic', name: 'status' }],
  ['statusMessage', { kind: 'intrinsic', name: 'statusMessage' }],
  ['kind', { kind: 'intrinsic', name: 'kind' }],
];

/** Never grouped on: their cardinality says nothing (Tempo's list), and durations of any kind. */
const SKIPPED = new Set([
  'trace:id',
  'span:parentID',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'startTime',
  'structural',
]);

/** Select-all fetched every column unfiltered: the selection filter sees every value. */
const SEE_ALL: FetchPlan = planFetch({
  text: '',
  pipeline: { type: 'pipeline', elements: [] },
  metrics: undefined,
  secondStage: [],
  hints: new Map(),
});

function refName(ref: Ref, from?: 'span' | 'resource'): string {
  if (ref.kind === 'intrinsic') return ref.name;
  const scope = ref.scope === 'none' ? (from ?? 'span') : ref.scope;
  return `${scope}.${ref.name}`;
}

/** Column attributes as select-all reads them ("nil" when absent), then the generic ones. */
function scopeAttributes(
  scope: 'span' | 'resource',
  attrs: ReadonlyMap<string, AttrValue>,
  emit: (name: string, v: Static) => void,
): void {
  for (const name of columnsOf(scope).keys()) emit(`${scope}.${name}`, columnValue(scope, name, attrs)!);
  for (const [k, v] of attrs) if (!inColumn(scope, k, v)) emit(`${scope}.${k}`, fromAttr(v));
}

/** Every (attribute, value) Tempo's compare() sees on a span. */
function attributesOf(
  span: Span,
  trace: Trace,
  plan: FetchPlan,
  emit: (name: string, v: Static) => void,
): void {
  for (const [name, ref] of SELECTED_INTRINSICS) for (const v of rawValues(ref, span, trace)) emit(name, v);
  scopeAttributes('resource', span.resource.attrs, emit);
  for (const [k, v] of span.scope.attrs) emit(`instrumentation.${k}`, fromAttr(v));
  scopeAttributes('span', span.attrs, emit);
  for (const [, conds] of plan.byKey) {
    const ref = conds[0]!.ref;
    if (ref.kind === 'intrinsic' && SKIPPED.has(ref.name)) continue;
    for (const c of fetchedCandidates(conds, ref, span, trace)) emit(refName(ref, c.from), c.value);
  }
}

interface ValueCounts {
  value: Static;
  counts: number[];
}

interface AttrCounts {
  byValue: Map<string, ValueCounts>;
  totals: number[];
}

/** The querier side: counts per attribute value and totals, top N values per attribute. */
export class CompareFirstStage implements FirstStage {
  private readonly attrs: Record<Kind, Map<string, AttrCounts>> = {
    baseline: new Map(),
    selection: new Map(),
  };
  private readonly m: NonNullable<MetricsStage['compare']>;
  private readonly plan: FetchPlan;
  private readonly n: number;
  private readonly picker: ExemplarPicker | undefined;
  private evaluator: { trace: Trace; ev: TraceEvaluator } | undefined;

  constructor(m: MetricsStage, plan: FetchPlan, buckets: Buckets, picker: ExemplarPicker | undefined) {
    this.m = m.compare!;
    this.plan = plan;
    this.n = buckets.count;
    this.picker = picker;
  }

  private isSelection(span: Span, trace: Trace): boolean {
    const { start, end, filter } = this.m;
    if (start > 0n && end > 0n && (span.startNs <= start || span.startNs > end)) return false;
    if (this.evaluator?.trace !== trace) this.evaluator = { trace, ev: new TraceEvaluator(SEE_ALL, trace) };
    return this.evaluator.ev.matches(filter.expr, span);
  }

  observe(span: Span, trace: Trace, interval: number): void {
    const kind: Kind = this.isSelection(span, trace) ? 'selection' : 'baseline';
    const attrs = this.attrs[kind];
    attributesOf(span, trace, this.plan, (name, v) => {
      if (v.t === 'duration') return;
      let a = attrs.get(name);
      if (!a) {
        a = { byValue: new Map(), totals: filledValues(this.n, 0) };
        attrs.set(name, a);
      }
      const vk = staticKey(v);
      let vc = a.byValue.get(vk);
      if (!vc) {
        vc = { value: v, counts: filledValues(this.n, 0) };
        a.byValue.set(vk, vc);
      }
      vc.counts[interval]!++;
      a.totals[interval]!++;
    });
    this.picker?.offer(kind, interval, span, Number.NaN, trace);
  }

  private namesOf(e: Exemplar): Set<string> {
    const names = new Set<string>();
    if (e.span && e.trace)
      attributesOf(e.span, e.trace, this.plan, (name, v) => v.t !== 'duration' && names.add(name));
    return names;
  }

  result(exemplars: Map<string, Exemplar[]>): SeriesSet {
    const out: SeriesSet = new Map();
    const add = (labels: Label[], values: number[], ex: Exemplar[] = []) =>
      out.set(labelsKey(labels), { labels, values, exemplars: ex });
    for (const kind of ['baseline', 'selection'] as const) {
      for (const [name, { byValue }] of this.attrs[kind]) {
        for (const vc of topN(
          [...byValue.values()],
          this.m.topN,
          (x) => x.counts,
          (x) => x.value,
        )) {
          add(
            [
              { name: META_TYPE, value: str(kind) },
              { name, value: vc.value },
            ],
            vc.counts,
          );
        }
      }
    }
    for (const kind of ['baseline', 'selection'] as const) {
      // An exemplar hangs on the totals of every attribute its span has, as in Tempo.
      const ex = (exemplars.get(kind) ?? []).map((e) => ({ e, names: this.namesOf(e) }));
      for (const [name, { totals: counts }] of this.attrs[kind]) {
        const mine = ex.filter((x) => x.names.has(name)).map((x) => x.e);
        add(
          [
            { name: META_TYPE, value: str(`${kind}_total`) },
            { name, value: NIL },
          ],
          counts,
          mine,
        );
      }
    }
    return out;
  }
}

/** The n entries with the largest sums; ties in label-value order (Tempo leaves them to chance). */
function topN<T>(entries: T[], n: number, counts: (t: T) => number[], value: (t: T) => Static): T[] {
  if (entries.length <= n) return entries;
  const sum = (t: T) => counts(t).reduce((a, b) => a + b, 0);
  return entries
    .map((t) => ({ t, total: sum(t), key: staticKey(value(t)) }))
    .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n)
    .map((x) => x.t);
}

/** The frontend side: merges the queriers' series, top N values per attribute again. */
export class CompareFinalStage implements FinalStage {
  private readonly dest = new Map<
    string,
    Map<string, Map<string, { value: Static; values: number[]; exemplars: Exemplar[] }>>
  >();
  private readonly n: number;
  private readonly topN: number;

  constructor(m: MetricsStage, buckets: Buckets) {
    this.n = buckets.count;
    this.topN = m.compare!.topN;
  }

  combine(series: readonly WireSeries[]): void {
    for (const ws of series) {
      const labels = fromKeyValues(ws.labels);
      let metaType = '';
      let name = '';
      let value: Static = NIL;
      for (const l of labels) {
        if (l.name === META_TYPE) metaType = l.value.t === 'string' ? l.value.v : '';
        else {
          name = l.name;
          value = l.value;
        }
      }
      if (!['baseline', 'selection', 'baseline_total', 'selection_total'].includes(metaType)) continue;
      let byAttr = this.dest.get(metaType);
      if (!byAttr) {
        byAttr = new Map();
        this.dest.set(metaType, byAttr);
      }
      let byValue = byAttr.get(name);
      if (!byValue) {
        byValue = new Map();
        byAttr.set(name, byValue);
      }
      const vk = staticKey(value);
      let ts = byValue.get(vk);
      if (!ts) {
        ts = { value, values: filledValues(this.n, 0), exemplars: [] };
        byValue.set(vk, ts);
      }
      for (const { interval, value: v } of ws.samples) ts.values[interval]! += v;
      ts.exemplars.push(...ws.exemplars);
    }
  }

  result(): SeriesSet {
    const out: SeriesSet = new Map();
    for (const [metaType, byAttr] of this.dest) {
      for (const [name, byValue] of byAttr) {
        for (const ts of topN(
          [...byValue.values()],
          this.topN,
          (x) => x.values,
          (x) => x.value,
        )) {
          const labels: Label[] = [
            { name: META_TYPE, value: str(metaType) },
            { name, value: ts.value },
          ];
          out.set(labelsKey(labels), { labels, values: ts.values, exemplars: ts.exemplars });
        }
      }
    }
    // Attributes over the limit get a "__meta_error" series in Tempo, but with no samples: never sent.
    return out;
  }
}
