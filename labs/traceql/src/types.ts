// The static type TraceQL infers for an expression before running it, as Tempo's validator does.
import type { FieldExpr, Intrinsic, Static, StaticType } from './ast.ts';

const INTRINSIC_TYPES: Record<Intrinsic, StaticType> = {
  duration: 'duration',
  childCount: 'int',
  name: 'string',
  status: 'status',
  statusMessage: 'string',
  kind: 'kind',
  'event:name': 'string',
  'event:timeSinceStart': 'duration',
  'link:traceID': 'string',
  'link:spanID': 'string',
  parent: 'nil',
  traceDuration: 'duration',
  rootServiceName: 'string',
  rootName: 'string',
  nestedSetLeft: 'int',
  nestedSetRight: 'int',
  nestedSetParent: 'int',
  'trace:id': 'string',
  'span:id': 'string',
  'span:parentID': 'string',
  'instrumentation:name': 'string',
  'instrumentation:version': 'string',
};

const BOOLEAN_OPS = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~', '&&', '||']);

export function impliedType(e: FieldExpr): StaticType {
  switch (e.type) {
    case 'static':
      return e.value.t;
    case 'attribute':
      return 'attribute';
    case 'intrinsic':
      return INTRINSIC_TYPES[e.name];
    case 'binary': {
      if (BOOLEAN_OPS.has(e.op)) return 'bool';
      const t = impliedType(e.lhs);
      return t !== 'attribute' ? t : impliedType(e.rhs);
    }
    case 'unary':
      return e.op === 'exists' || e.op === 'notExists' ? 'bool' : impliedType(e.expr);
  }
}

export function isNumeric(t: StaticType): boolean {
  return t === 'int' || t === 'float' || t === 'duration';
}

const ARRAY_ELEMENT: Partial<Record<StaticType, StaticType>> = {
  intArray: 'int',
  floatArray: 'float',
  stringArray: 'string',
  boolArray: 'bool',
};

export function isMatchingOperand(a: StaticType, b: StaticType): boolean {
  if (a === 'attribute' || b === 'attribute' || a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a === 'nil' || b === 'nil') return true;
  const ea = ARRAY_ELEMENT[a];
  if (ea) return isMatchingOperand(ea, b);
  const eb = ARRAY_ELEMENT[b];
  if (eb) return isMatchingOperand(a, eb);
  return false;
}

export function binaryTypeValid(op: string, t: StaticType): boolean {
  switch (t) {
    case 'attribute':
      return true;
    case 'bool':
    case 'boolArray':
      return ['&&', '||', '=', '!='].includes(op);
    case 'float':
    case 'floatArray':
    case 'int':
    case 'intArray':
    case 'duration':
      return ['+', '-', '*', '/', '%', '^', '=', '!=', '>', '>=', '<', '<='].includes(op);
    case 'string':
    case 'stringArray':
      return ['=', '!=', '=~', '!~', '>', '>=', '<', '<='].includes(op);
    case 'nil':
    case 'status':
    case 'kind':
      return op === '=' || op === '!=';
    default:
      return false;
  }
}

export function referencesSpan(e: FieldExpr): boolean {
  switch (e.type) {
    case 'static':
      return false;
    case 'attribute':
    case 'intrinsic':
      return true;
    case 'binary':
      return referencesSpan(e.lhs) || referencesSpan(e.rhs);
    case 'unary':
      return referencesSpan(e.expr);
  }
}

export function staticTypeOf(s: Static): StaticType {
  return s.t;
}
