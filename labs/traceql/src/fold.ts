// Constant folding, as Tempo does while parsing: a sub-expression that reads nothing from the span
// (`1s + 500ms`, `-5`, `!true`) is replaced by its value, so types and conditions see the result.
import type { FieldExpr, PipelineElement, Query, SpansetElement, Static } from './ast.ts';
import { referencesSpan } from './types.ts';
import { binaryValid, unaryValid } from './validate.ts';
import { ArithmeticError, binaryOp, NIL } from './values.ts';

function unaryStatic(op: string, v: Static): Static | undefined {
  if (op === '-') {
    if (v.t === 'int' || v.t === 'duration') return { t: v.t, v: -v.v };
    if (v.t === 'float') return { t: 'float', v: -v.v };
    return undefined;
  }
  if (op === '!') return v.t === 'bool' ? { t: 'bool', v: !v.v } : undefined;
  return undefined;
}

export function foldField(e: FieldExpr): FieldExpr {
  switch (e.type) {
    case 'binary': {
      const lhs = foldField(e.lhs);
      const rhs = foldField(e.rhs);
      const next = { ...e, lhs, rhs };
      if (
        !referencesSpan(next) &&
        lhs.type === 'static' &&
        rhs.type === 'static' &&
        binaryValid(next) === undefined
      ) {
        // Like Tempo, an expression that fails (1 / 0) stays unfolded and fails when it runs.
        let v: Static = NIL;
        try {
          v = binaryOp(e.op, lhs.value, rhs.value);
        } catch (err) {
          if (!(err instanceof ArithmeticError)) throw err;
        }
        if (v !== NIL) return { type: 'static', value: v, pos: e.pos };
      }
      return next;
    }
    case 'unary': {
      const expr = foldField(e.expr);
      const next = { ...e, expr };
      if (expr.type === 'static' && unaryValid(next) === undefined) {
        const v = unaryStatic(e.op, expr.value);
        if (v) return { type: 'static', value: v, pos: e.pos };
      }
      return next;
    }
    default:
      return e;
  }
}

function foldSpanset(e: SpansetElement): SpansetElement {
  if (e.type === 'filter') return { type: 'filter', expr: foldField(e.expr) };
  if (e.type === 'spansetOp') return { ...e, lhs: foldSpanset(e.lhs), rhs: foldSpanset(e.rhs) };
  return { type: 'pipeline', elements: e.elements.map(foldElement) };
}

function foldElement(e: PipelineElement): PipelineElement {
  switch (e.type) {
    case 'filter':
    case 'spansetOp':
    case 'pipeline':
      return foldSpanset(e);
    case 'by':
      return { type: 'by', expr: foldField(e.expr) };
    case 'scalarFilter': {
      const agg = (x: typeof e.lhs) =>
        x.type === 'aggregate' && x.expr ? { ...x, expr: foldField(x.expr) } : x;
      return { ...e, lhs: agg(e.lhs), rhs: agg(e.rhs) };
    }
    default:
      return e;
  }
}

export function foldConstants(q: Query): Query {
  return { ...q, pipeline: { type: 'pipeline', elements: q.pipeline.elements.map(foldElement) } };
}
