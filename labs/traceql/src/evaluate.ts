// The engine: evaluates a query's pipeline over one trace's fetched spans, stage by stage, with
// Tempo's semantics for filters, spanset operators (&&, ||, structural relations on nested-set
// numbers), aggregates, by(), coalesce() and select().
import type {
  Aggregate,
  FieldExpr,
  Pipeline,
  PipelineElement,
  ScalarExpr,
  SpansetElement,
  SpansetOperation,
  Static,
} from './ast.ts';
import type { Condition, FetchPlan } from './fetch-plan.ts';
import { refKey, refOf } from './fetch-plan.ts';
import type { Span, Trace } from './model.ts';
import { show } from './show.ts';
import { allHold, conditionHolds, fetchedCandidates } from './span-values.ts';
import { childOf, descendantOf, siblingOf } from './structural.ts';
import { binaryOp, FALSE, fromAttr, isNumericStatic, NIL, payload, TRUE, toFloat } from './values.ts';

export interface Spanset {
  spans: Span[];
  /** Attributes of the spanset itself: by() groups, aggregate results. */
  attrs: [string, Static][];
  scalar?: Static;
}

export class EngineError extends Error {}

export class TraceEvaluator {
  private readonly plan: FetchPlan;
  private readonly trace: Trace;
  constructor(plan: FetchPlan, trace: Trace) {
    this.plan = plan;
    this.trace = trace;
  }

  /** The spans the storage layer would hand to the pipeline. */
  fetchedSpans(): Span[] {
    const { conditions, allConditions } = this.plan;
    if (conditions.length === 0 || (!allConditions && this.plan.fetchAll)) return this.trace.spans.slice();
    const out: Span[] = [];
    const trace = this.trace;
    for (const s of trace.spans) {
      if (allConditions ? allHold(conditions, s, trace) : anyHolds(conditions, s, trace)) out.push(s);
    }
    return out;
  }

  valueOf(e: FieldExpr & { type: 'attribute' | 'intrinsic' }, span: Span): Static {
    const fast = this.fastValue(e, span);
    if (fast !== undefined) return fast;
    const ref = refOf(e)!;
    const cands = fetchedCandidates(this.plan.byKey.get(refKey(ref)), ref, span, this.trace);
    return cands[0]?.value ?? NIL;
  }

  field(e: FieldExpr, span: Span): Static {
    switch (e.type) {
      case 'static':
        return e.value;
      case 'attribute':
      case 'intrinsic':
        return this.valueOf(e, span);
      case 'unary': {
        if (e.op === 'exists' || e.op === 'notExists') {
          const v =
            e.expr.type === 'attribute' || e.expr.type === 'intrinsic'
              ? this.valueOf(e.expr, span)
              : this.field(e.expr, span);
          return (v.t !== 'nil') === (e.op === 'exists') ? TRUE : FALSE;
        }
        const v = this.field(e.expr, span);
        if (e.op === '!') return v.t === 'bool' ? (v.v ? FALSE : TRUE) : FALSE;
        if (v.t === 'int' || v.t === 'duration') return { t: v.t, v: -v.v };
        if (v.t === 'float') return { t: 'float', v: -v.v };
        return NIL;
      }
      case 'binary': {
        if (isIdComparison(e)) return this.idComparison(e, span);
        const l = this.field(e.lhs, span);
        if (l.t === 'bool') {
          if (e.op === '&&' && !l.v) return FALSE;
          if (e.op === '||' && l.v) return TRUE;
        }
        return binaryOp(e.op, l, this.field(e.rhs, span));
      }
    }
  }

  /**
   * The common cases without building candidate lists: span and resource scalars, and the span
   * intrinsics. undefined means "take the general path".
   */
  private fastValue(e: FieldExpr & { type: 'attribute' | 'intrinsic' }, span: Span): Static | undefined {
    if (e.type === 'intrinsic') {
      switch (e.name) {
        case 'name':
          return this.plan.byKey.get(':name')?.some((c) => c.operand)
            ? undefined
            : { t: 'string', v: span.name };
        case 'kind':
          return KIND_STATICS[span.kind];
        case 'status':
          return STATUS_STATICS[span.statusCode];
        case 'duration':
          return { t: 'duration', v: BigInt(span.durationNs) };
        default:
          return undefined;
      }
    }
    if (e.scope !== 'span' && e.scope !== 'resource') return undefined;
    const raw = (e.scope === 'span' ? span.attrs : span.resource.attrs).get(e.name);
    if (raw === undefined) return NIL;
    if (Array.isArray(raw)) return undefined;
    const conds = this.plan.byKey.get(`${e.scope}.${e.name}`);
    if (
      conds &&
      !conds.some((c) => c.operand === undefined) &&
      !conds.some((c) => conditionHolds(c, span, this.trace))
    ) {
      return NIL;
    }
    return fromAttr(raw as string);
  }

  /** Ids compare as numbers do: "42" is the trace 000…042, as in Tempo. */
  private idComparison(e: FieldExpr & { type: 'binary' }, span: Span): Static {
    const [ref, lit] =
      e.lhs.type === 'intrinsic' ? [e.lhs, e.rhs] : [e.rhs as FieldExpr & { type: 'intrinsic' }, e.lhs];
    const v = this.valueOf(ref, span);
    if (v.t !== 'string' || lit.type !== 'static' || lit.value.t !== 'string') return FALSE;
    return binaryOp(
      e.op,
      { t: 'string', v: stripZeros(v.v) },
      { t: 'string', v: stripZeros(lit.value.v.toLowerCase()) },
    );
  }

  matches(expr: FieldExpr, span: Span): boolean {
    const v = this.field(expr, span);
    return v.t === 'bool' && v.v;
  }

  pipeline(p: Pipeline, input: Spanset[]): Spanset[] {
    let result = input;
    for (const el of p.elements) {
      result = this.element(el, result);
      if (result.length === 0) return [];
    }
    return result;
  }

  element(el: PipelineElement, input: Spanset[]): Spanset[] {
    switch (el.type) {
      case 'filter': {
        const out: Spanset[] = [];
        for (const ss of input) {
          const spans = ss.spans.filter((s) => this.matches(el.expr, s));
          if (spans.length > 0) out.push({ ...ss, attrs: ss.attrs.slice(), spans });
        }
        return out;
      }
      case 'spansetOp':
        return this.spansetOp(el, input);
      case 'pipeline':
        return this.pipeline(el, input);
      case 'select':
        return input;
      case 'coalesce': {
        const spans = input.flatMap((ss) => ss.spans);
        return [{ spans, attrs: [] }];
      }
      case 'by':
        return this.groupBy(el.expr, input);
      case 'scalarFilter':
        return this.scalarFilter(el.op, el.lhs, el.rhs, input);
    }
  }

  private groupBy(expr: FieldExpr, input: Spanset[]): Spanset[] {
    const out: Spanset[] = [];
    const label = `by(${show(expr)})`;
    for (const ss of input) {
      const groups = new Map<string, Spanset>();
      for (const span of ss.spans) {
        const v = this.field(expr, span);
        const key = mapKey(v);
        let g = groups.get(key);
        if (!g) {
          g = { spans: [], attrs: [...ss.attrs, [label, v]] };
          groups.set(key, g);
        }
        g.spans.push(span);
      }
      out.push(...groups.values());
    }
    return out;
  }

  private scalarFilter(op: string, lhs: ScalarExpr, rhs: ScalarExpr, input: Spanset[]): Spanset[] {
    if (lhs.type !== 'aggregate' || rhs.type !== 'scalarStatic')
      throw new EngineError('scalar filter not supported');
    const out: Spanset[] = [];
    for (const ss of input) {
      const value = this.aggregate(lhs, ss);
      if (value === undefined) continue;
      const withAgg: Spanset = { ...ss, attrs: [...ss.attrs, [aggregateLabel(lhs), value]], scalar: value };
      const res = binaryOp(op, value, rhs.value);
      if (res.t === 'bool' && res.v) out.push(withAgg);
    }
    return out;
  }

  aggregate(a: Aggregate, ss: Spanset): Static | undefined {
    if (a.op === 'count') return { t: 'int', v: BigInt(ss.spans.length) };
    let acc: Static | undefined;
    let n = 0;
    for (const span of ss.spans) {
      const v = this.field(a.expr!, span);
      if (v.t === 'nil' || !isNumericStatic(v)) continue;
      n++;
      if (acc === undefined) acc = v;
      else if (a.op === 'max') acc = greater(v, acc) ? v : acc;
      else if (a.op === 'min') acc = greater(acc, v) ? v : acc;
      else acc = sumStatic(acc, v);
    }
    if (acc === undefined) return undefined;
    if (a.op === 'avg') return divideBy(acc, n);
    return acc;
  }

  private spansetOp(o: SpansetOperation, input: Spanset[]): Spanset[] {
    const out: Spanset[] = [];
    for (const ss of input) {
      const lhs = this.side(o.lhs, ss);
      const rhs = this.side(o.rhs, ss);
      let matching: Span[] = [];
      if (o.op === '&&') {
        if (lhs.length > 0 && rhs.length > 0) matching = unique(lhs, rhs);
      } else if (o.op === '||') {
        if (lhs.length > 0 || rhs.length > 0) matching = unique(lhs, rhs);
      } else {
        if (lhs.length > 1 || rhs.length > 1) {
          throw new EngineError(
            'spanset operators are not supported for multiple spansets per trace. consider using coalesce()',
          );
        }
        const r = rhs[0]?.spans ?? [];
        if (r.length === 0) continue;
        const l = lhs[0]?.spans ?? [];
        matching = relate(o.op, l, r);
      }
      if (matching.length > 0) out.push({ ...ss, attrs: ss.attrs.slice(), spans: matching });
    }
    return out;
  }

  private side(e: SpansetElement, ss: Spanset): Spanset[] {
    return this.element(e, [ss]);
  }
}

const KIND_STATICS: Static[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'].map(
  (v) => ({ t: 'kind', v }) as Static,
);
const STATUS_STATICS: Static[] = ['unset', 'ok', 'error'].map((v) => ({ t: 'status', v }) as Static);

const ID_INTRINSICS = new Set(['trace:id', 'span:id', 'span:parentID', 'link:traceID', 'link:spanID']);

function isIdComparison(e: FieldExpr & { type: 'binary' }): boolean {
  const isId = (x: FieldExpr) => x.type === 'intrinsic' && ID_INTRINSICS.has(x.name);
  const isStr = (x: FieldExpr) => x.type === 'static' && x.value.t === 'string';
  return (e.op === '=' || e.op === '!=') && ((isId(e.lhs) && isStr(e.rhs)) || (isId(e.rhs) && isStr(e.lhs)));
}

function stripZeros(hex: string): string {
  const s = hex.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

function anyHolds(conditions: readonly Condition[], span: Span, trace: Trace): boolean {
  for (const c of conditions) if (conditionHolds(c, span, trace)) return true;
  return false;
}

function relate(op: string, l: Span[], r: Span[]): Span[] {
  switch (op) {
    case '>':
    case '!>':
    case '&>':
      return childOf(l, r, op === '!>', false, op === '&>');
    case '<':
    case '!<':
    case '&<':
      return childOf(l, r, op === '!<', true, op === '&<');
    case '>>':
    case '!>>':
    case '&>>':
      return descendantOf(l, r, op === '!>>', false, op === '&>>');
    case '<<':
    case '!<<':
    case '&<<':
      return descendantOf(l, r, op === '!<<', true, op === '&<<');
    default:
      return siblingOf(l, r, op === '!~', op === '&~');
  }
}

/** Spans of every spanset on both sides, each once, left side first. */
function unique(lhs: Spanset[], rhs: Spanset[]): Span[] {
  const seen = new Set<Span>();
  const out: Span[] = [];
  for (const ss of [...lhs, ...rhs]) {
    for (const s of ss.spans) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  }
  return out;
}

function mapKey(v: Static): string {
  const p = payload(v);
  return `${v.t}:${Array.isArray(p) ? p.map(String).join('\u0000') : String(p)}`;
}

function greater(a: Static, b: Static): boolean {
  if (a.t === b.t && (a.t === 'int' || a.t === 'duration'))
    return (payload(a) as bigint) > (payload(b) as bigint);
  return toFloat(a) > toFloat(b);
}

function sumStatic(a: Static, b: Static): Static {
  if (a.t === b.t && (a.t === 'int' || a.t === 'duration'))
    return { t: a.t, v: (payload(a) as bigint) + (payload(b) as bigint) };
  return { t: 'float', v: toFloat(a) + toFloat(b) };
}

function divideBy(a: Static, n: number): Static {
  if (a.t === 'duration') return { t: 'duration', v: BigInt(Math.trunc(Number(a.v) / n)) };
  return { t: 'float', v: toFloat(a) / n };
}

export function aggregateLabel(a: Aggregate): string {
  return `${a.op}(${a.expr ? show(a.expr) : ''})`;
}
