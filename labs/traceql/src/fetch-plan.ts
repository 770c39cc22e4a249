// What Tempo's storage layer fetches for a query, modelled because TraceQL's answers depend on it:
// conditions are extracted from the query (as Tempo's extractConditions does), a span enters the
// pipeline only if all (or, after ||, by(), aggregates and spanset operators, any) conditions hold,
// and the engine then sees only the attribute values that satisfied a condition. This is why
// `{ !(a || b) }` matches nothing and `span.arr != "x"` matches arrays holding "x".
import type {
  AttributeScope,
  FieldExpr,
  Intrinsic,
  MetricsStage,
  Pipeline,
  PipelineElement,
  Query,
  Static,
} from './ast.ts';

export type Ref =
  | { readonly kind: 'attr'; readonly scope: AttributeScope; readonly name: string }
  | { readonly kind: 'intrinsic'; readonly name: Intrinsic | 'startTime' | 'structural' };

export type CondOp = 'none' | 'exists' | 'notExists' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';

export interface Condition {
  readonly ref: Ref;
  readonly key: string;
  readonly op: CondOp;
  readonly operand?: Static;
}

export interface FetchPlan {
  readonly conditions: Condition[];
  readonly allConditions: boolean;
  /** Attributes fetched after the pipeline ran (select() and what follows it): shown, never filtering. */
  readonly secondPass: Condition[];
  /** First-pass conditions by ref key: they narrow the values the engine sees. */
  readonly byKey: Map<string, Condition[]>;
  /** First- and second-pass conditions by ref key: they narrow the values search results show. */
  readonly shownByKey: Map<string, Condition[]>;
  /** Keys grouped on with by(): a span without the value shows it as nil. */
  readonly groupKeys: Set<string>;
  /**
   * The first stage is a filter that the fetch conditions decide on their own (an && of plain
   * comparisons): the engine need not evaluate it again. A shortcut, not a semantic.
   */
  readonly firstStageFetched: boolean;
  /** A condition every span meets ({ } or a structural operator): the storage hands over every span. */
  readonly fetchAll: boolean;
}

function isPlainCondition(e: FieldExpr): boolean {
  if (e.type === 'static') return e.value.t === 'bool' && e.value.v;
  if (e.type === 'binary' && e.op === '&&') return isPlainCondition(e.lhs) && isPlainCondition(e.rhs);
  const side = (x: FieldExpr) => {
    const ref = refOf(x);
    return (
      ref !== undefined &&
      !(ref.kind === 'attr' && (ref.scope === 'event' || ref.scope === 'link' || ref.scope === 'none'))
    );
  };
  if (e.type === 'unary' && (e.op === 'exists' || e.op === 'notExists')) return side(e.expr);
  if (e.type !== 'binary' || !['=', '!=', '<', '<=', '>', '>=', '=~', '!~'].includes(e.op)) return false;
  if (!(side(e.lhs) && e.rhs.type === 'static')) return false;
  const ref = refOf(e.lhs)!;
  return ref.kind === 'attr' || ['name', 'status', 'kind', 'duration', 'statusMessage'].includes(ref.name);
}

export function refKey(ref: Ref): string {
  return ref.kind === 'attr' ? `${ref.scope}.${ref.name}` : `:${ref.name}`;
}

export function refOf(e: FieldExpr): Ref | undefined {
  if (e.type === 'attribute') return { kind: 'attr', scope: e.scope, name: e.name };
  if (e.type === 'intrinsic') return { kind: 'intrinsic', name: e.name };
  return undefined;
}

const BOOLEAN_OPS = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~', '&&', '||']);

class Extractor {
  conditions: Condition[] = [];
  allConditions = true;
  groupKeys = new Set<string>();

  add(ref: Ref, op: CondOp, operand?: Static): void {
    this.conditions.push({ ref, key: refKey(ref), op, ...(operand ? { operand } : {}) });
  }

  field(e: FieldExpr): void {
    switch (e.type) {
      case 'static':
        return;
      case 'attribute':
      case 'intrinsic':
        this.add(refOf(e)!, 'none');
        return;
      case 'unary': {
        const ref = refOf(e.expr);
        if (ref && (e.op === 'exists' || e.op === 'notExists')) this.add(ref, e.op);
        else this.field(e.expr);
        return;
      }
      case 'binary': {
        const l = refOf(e.lhs);
        const r = refOf(e.rhs);
        if (l && e.rhs.type === 'static') {
          this.condition(l, e.op, e.rhs.value, false);
          return;
        }
        if (r && e.lhs.type === 'static') {
          this.condition(r, e.op, e.lhs.value, true);
          return;
        }
        if (l && r) {
          this.add(l, 'none');
          this.add(r, 'none');
          return;
        }
        if (l) {
          this.add(l, 'none');
          this.field(e.rhs);
          return;
        }
        if (e.lhs.type === 'static') {
          this.field(e.rhs);
          return;
        }
        this.field(e.lhs);
        this.field(e.rhs);
        this.allConditions = this.allConditions && e.op !== '||';
      }
    }
  }

  private condition(ref: Ref, op: string, operand: Static, flipped: boolean): void {
    if (!BOOLEAN_OPS.has(op) || (operand.t === 'bool' && (op === '&&' || op === '||'))) {
      this.add(ref, 'none');
      return;
    }
    const mirrored = flipped
      ? (({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op)
      : op;
    this.add(ref, mirrored as CondOp, operand);
  }

  filter(expr: FieldExpr): void {
    this.field(expr);
    if (expr.type === 'static' && expr.value.t === 'bool' && expr.value.v) {
      const hasIntrinsicNone = this.conditions.some((c) => c.ref.kind === 'intrinsic' && c.op === 'none');
      if (!hasIntrinsicNone) this.add({ kind: 'intrinsic', name: 'startTime' }, 'none');
    }
  }

  element(e: PipelineElement): void {
    switch (e.type) {
      case 'filter':
        this.filter(e.expr);
        return;
      case 'spansetOp':
        if (e.op !== '&&' && e.op !== '||') this.add({ kind: 'intrinsic', name: 'structural' }, 'none');
        this.element(e.lhs);
        this.element(e.rhs);
        this.allConditions = false;
        return;
      case 'pipeline':
        this.pipeline(e);
        return;
      case 'by': {
        const ref = refOf(e.expr);
        if (ref) this.groupKeys.add(refKey(ref));
        this.field(e.expr);
        this.allConditions = false;
        return;
      }
      case 'scalarFilter':
        for (const side of [e.lhs, e.rhs]) {
          if (side.type === 'aggregate') {
            this.allConditions = false;
            if (side.expr) this.field(side.expr);
          }
        }
        return;
      case 'select':
      case 'coalesce':
        return;
    }
  }

  pipeline(p: Pipeline, secondPass?: Condition[]): void {
    let afterSelect = false;
    for (const el of p.elements) {
      if (afterSelect || el.type === 'select') {
        const sub = new Extractor();
        if (el.type === 'select') for (const a of el.attrs) sub.field(a);
        else sub.element(el);
        secondPass?.push(...sub.conditions);
        if (el.type === 'select') afterSelect = true;
        continue;
      }
      this.element(el);
    }
  }

  metrics(m: MetricsStage): void {
    if (m.attr) this.field(m.attr);
    for (const b of m.by) this.field(b);
    if (m.compare) this.allConditions = false;
  }
}

export function planFetch(q: Query): FetchPlan {
  const x = new Extractor();
  const secondPass: Condition[] = [];
  x.pipeline(q.pipeline, secondPass);
  if (q.metrics) x.metrics(q.metrics);
  return {
    conditions: x.conditions,
    allConditions: x.allConditions,
    secondPass,
    byKey: groupByKey(x.conditions),
    shownByKey: groupByKey([...x.conditions, ...secondPass]),
    groupKeys: x.groupKeys,
    firstStageFetched: firstStageFetched(q, x),
    fetchAll: x.conditions.some(
      (c) => c.ref.kind === 'intrinsic' && (c.ref.name === 'startTime' || c.ref.name === 'structural'),
    ),
  };
}

function firstStageFetched(q: Query, x: Extractor): boolean {
  const first = q.pipeline.elements[0];
  if (first?.type !== 'filter' || !isPlainCondition(first.expr)) return false;
  if (x.allConditions) return true;
  // One condition in the whole query, from this filter: "any holds" is "it holds".
  const own = new Extractor();
  own.filter(first.expr);
  return own.conditions.length === 1 && x.conditions.length === 1;
}

function groupByKey(conditions: Condition[]): Map<string, Condition[]> {
  const byKey = new Map<string, Condition[]>();
  for (const c of conditions) {
    const list = byKey.get(c.key);
    if (list) list.push(c);
    else byKey.set(c.key, [c]);
  }
  return byKey;
}
