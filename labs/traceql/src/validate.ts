// Tempo's validation after parsing: operand types must match, intrinsics cannot be nil, regexes must
// compile, unsupported features are named. Each failure is a 400 with the expression's position.
import type {
  FieldExpr,
  MetricsStage,
  Pipeline,
  PipelineElement,
  Query,
  ScalarExpr,
  SpansetElement,
  StaticType,
} from './ast.ts';
import { QueryError } from './errors.ts';
import { compileRegex, RegexError } from './regex.ts';
import { show } from './show.ts';
import { binaryTypeValid, impliedType, isMatchingOperand, isNumeric, referencesSpan } from './types.ts';

type Fault = { kind: 'type' | 'regex' | 'unsupported'; message: string };

const TYPE_WORDS: Partial<Record<StaticType, string>> = {
  duration: 'a duration like 500ms',
  string: 'a string in double quotes',
  int: 'a number',
  float: 'a number',
  status: 'a status: error, ok or unset',
  kind: 'a kind: server, client, producer, consumer, internal or unspecified',
  bool: 'true or false',
};

function sideHint(e: FieldExpr & { type: 'binary' }): string {
  const lt = impliedType(e.lhs);
  const rt = impliedType(e.rhs);
  const want = lt !== 'attribute' ? lt : rt;
  const words = TYPE_WORDS[want];
  const name = e.lhs.type === 'intrinsic' ? e.lhs.name : e.rhs.type === 'intrinsic' ? e.rhs.name : undefined;
  return words && name ? ` — ${name} takes ${words}` : '';
}

export function binaryValid(e: FieldExpr & { type: 'binary' }): Fault | undefined {
  const lt = impliedType(e.lhs);
  const rt = impliedType(e.rhs);
  if (!isMatchingOperand(lt, rt)) {
    return {
      kind: 'type',
      message: `binary operations must operate on the same type: ${show(e)}${sideHint(e)}`,
    };
  }
  if (!binaryTypeValid(e.op, lt) || !binaryTypeValid(e.op, rt)) {
    return { kind: 'type', message: `illegal operation for the given types: ${show(e)}${sideHint(e)}` };
  }
  if (e.op === '=~' || e.op === '!~') {
    if (e.rhs.type !== 'static' || (e.rhs.value.t !== 'string' && e.rhs.value.t !== 'stringArray')) {
      return {
        kind: 'type',
        message: `invalid type for =~ or !~: ${show(e.rhs)} — the right side must be a string`,
      };
    }
    const patterns = e.rhs.value.t === 'string' ? [e.rhs.value.v] : e.rhs.value.v;
    for (const p of patterns) {
      try {
        compileRegex(p);
      } catch (err) {
        if (err instanceof RegexError)
          return { kind: 'regex', message: `invalid regex: ${show(e.rhs)} (${err.message})` };
        throw err;
      }
    }
  }
  return undefined;
}

export function unaryValid(e: FieldExpr & { type: 'unary' }): Fault | undefined {
  if (e.op === 'notExists' && e.expr.type === 'intrinsic') {
    return { kind: 'type', message: `${e.expr.name}=nil is not valid because intrinsics cannot be nil` };
  }
  if (
    e.op === 'notExists' &&
    e.expr.type === 'attribute' &&
    e.expr.scope === 'resource' &&
    e.expr.name === 'service.name' &&
    !e.expr.parent
  ) {
    return {
      kind: 'type',
      message: 'resource.service.name=nil is not valid because resource.service.name cannot be nil',
    };
  }
  const t = impliedType(e.expr);
  if (t === 'attribute' || e.op === 'exists' || e.op === 'notExists') return undefined;
  if ((e.op === '-' && isNumeric(t)) || (e.op === '!' && t === 'bool')) return undefined;
  return { kind: 'type', message: `illegal operation for the given type: ${show(e)}` };
}

function raise(f: Fault, e: { pos?: { line: number; column: number } }): never {
  throw new QueryError(f.kind, f.message, e.pos?.line, e.pos?.column);
}

function checkField(e: FieldExpr): void {
  switch (e.type) {
    case 'binary': {
      checkField(e.lhs);
      checkField(e.rhs);
      const f = binaryValid(e);
      if (f) raise(f, e);
      return;
    }
    case 'unary': {
      checkField(e.expr);
      const f = unaryValid(e);
      if (f) raise(f, e);
      return;
    }
    case 'attribute':
      if (e.parent)
        raise(
          {
            kind: 'unsupported',
            message:
              "parent not yet supported: Tempo 3.0.3 cannot read the parent span's attributes; use a structural query such as { … } > { … }",
          },
          e,
        );
      return;
    case 'intrinsic':
      if (e.name === 'parent')
        raise({ kind: 'unsupported', message: 'intrinsic (parent) not yet supported' }, e);
      return;
    default:
      return;
  }
}

function checkFilter(expr: FieldExpr): void {
  checkField(expr);
  const t = impliedType(expr);
  if (t !== 'attribute' && t !== 'bool') {
    raise(
      { kind: 'type', message: `span filter field expressions must resolve to a boolean: { ${show(expr)} }` },
      expr,
    );
  }
}

function scalarType(s: ScalarExpr): StaticType {
  switch (s.type) {
    case 'aggregate':
      return s.op === 'count' ? 'int' : s.expr ? impliedType(s.expr) : 'int';
    case 'scalarStatic':
      return s.value.t;
    case 'scalarOp': {
      const t = scalarType(s.lhs);
      return t !== 'attribute' ? t : scalarType(s.rhs);
    }
    case 'scalarPipeline': {
      const last = s.pipeline.elements.at(-1);
      return last?.type === 'scalarFilter' ? scalarType(last.lhs) : 'spanset';
    }
  }
}

function checkScalar(s: ScalarExpr): void {
  if (s.type === 'aggregate' && s.expr) {
    checkField(s.expr);
    const t = impliedType(s.expr);
    if (t !== 'attribute' && !isNumeric(t)) {
      throw new QueryError(
        'type',
        `aggregate field expressions must resolve to a number type: ${s.op}(${show(s.expr)})`,
      );
    }
    if (!referencesSpan(s.expr)) {
      throw new QueryError(
        'type',
        `aggregate field expressions must reference the span: ${s.op}(${show(s.expr)})`,
      );
    }
  }
  if (s.type === 'scalarOp') {
    checkScalar(s.lhs);
    checkScalar(s.rhs);
  }
}

function checkElement(e: PipelineElement): void {
  switch (e.type) {
    case 'filter':
      checkFilter(e.expr);
      return;
    case 'spansetOp':
      checkSpanset(e.lhs);
      checkSpanset(e.rhs);
      return;
    case 'pipeline':
      checkPipeline(e);
      return;
    case 'by':
      if (!referencesSpan(e.expr))
        throw new QueryError(
          'type',
          `grouping field expressions must reference the span: by(${show(e.expr)})`,
        );
      checkField(e.expr);
      return;
    case 'select':
      for (const a of e.attrs) checkField(a);
      return;
    case 'coalesce':
      return;
    case 'scalarFilter': {
      checkScalar(e.lhs);
      checkScalar(e.rhs);
      const lt = scalarType(e.lhs);
      const rt = scalarType(e.rhs);
      if (!isMatchingOperand(lt, rt)) {
        throw new QueryError(
          'type',
          `binary operations must operate on the same type: the aggregate is ${lt === 'duration' ? 'a duration' : 'a number'}; compare it with ${lt === 'duration' ? 'a duration like 100ms' : 'a number'}`,
        );
      }
      if (e.lhs.type !== 'aggregate') {
        throw new QueryError(
          'unsupported',
          'scalar filter lhs of type (%v) not yet supported: Tempo 3.0.3 compares one aggregate with one number, e.g. `| count() > 40`',
        );
      }
      if (e.rhs.type !== 'scalarStatic') {
        throw new QueryError(
          'unsupported',
          'scalar filter rhs of type (%v) not yet supported: compare the aggregate with a number, e.g. `| count() > 40`',
        );
      }
      return;
    }
  }
}

function checkSpanset(e: SpansetElement): void {
  checkElement(e);
}

function checkPipeline(p: Pipeline): void {
  for (const e of p.elements) checkElement(e);
}

function checkMetrics(m: MetricsStage): void {
  if (m.attr) checkField(m.attr);
  for (const b of m.by) checkField(b);
  if (m.compare) checkFilter(m.compare.filter.expr);
}

export function validateQuery(q: Query): void {
  checkPipeline(q.pipeline);
  if (q.metrics) {
    checkMetrics(q.metrics);
    if (q.metrics.fn === 'compare' && q.secondStage.length > 0) {
      throw new QueryError('type', '`compare()` cannot be used with second stage functions');
    }
  }
}
