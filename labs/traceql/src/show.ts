// Field expressions written back as TraceQL text, for error messages.
import type { FieldExpr, Static } from './ast.ts';
import { goDurationString } from './values.ts';

export function showStatic(s: Static): string {
  switch (s.t) {
    case 'string':
      return JSON.stringify(s.v);
    case 'duration':
      return goDurationString(s.v);
    case 'nil':
      return 'nil';
    case 'intArray':
    case 'floatArray':
    case 'stringArray':
    case 'boolArray':
      return `[${(s.v as readonly unknown[]).map((v) => JSON.stringify(typeof v === 'bigint' ? v.toString() : v)).join(', ')}]`;
    default:
      return String(s.v);
  }
}

export function show(e: FieldExpr): string {
  switch (e.type) {
    case 'static':
      return showStatic(e.value);
    case 'attribute': {
      const scope = e.scope === 'none' ? '.' : `${e.scope}.`;
      return `${e.parent ? 'parent.' : ''}${scope}${/[\s"]/.test(e.name) ? JSON.stringify(e.name) : e.name}`;
    }
    case 'intrinsic':
      return e.name;
    case 'binary':
      return `${show(e.lhs)} ${e.op} ${show(e.rhs)}`;
    case 'unary':
      if (e.op === 'exists') return `${show(e.expr)} != nil`;
      if (e.op === 'notExists') return `${show(e.expr)} = nil`;
      return `${e.op}${show(e.expr)}`;
  }
}
