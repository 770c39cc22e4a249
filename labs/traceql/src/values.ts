// Operations on TraceQL values, as Tempo's engine performs them: same-type comparisons, int
// arithmetic that stays int (42 / 5 = 8), a float catch-all for mixed numbers, arrays element-wise.

import { compareUtf8 } from './bytes.ts';
import type { AttrValue, Static } from './model-static.ts';
import { compileRegex } from './regex.ts';

export type { Static };

export const NIL: Static = { t: 'nil' };

/** Integer division or modulo by zero: Tempo stops the query with an error (HTTP 500). */
export class ArithmeticError extends Error {}

/** The payload of a value (undefined for nil). */
export function payload(s: Static): unknown {
  return (s as { v?: unknown }).v;
}
export const TRUE: Static = { t: 'bool', v: true };
export const FALSE: Static = { t: 'bool', v: false };

export function fromAttr(v: AttrValue): Static {
  switch (typeof v) {
    case 'string':
      return { t: 'string', v };
    case 'boolean':
      return { t: 'bool', v };
    case 'bigint':
      return { t: 'int', v };
    case 'number':
      return { t: 'float', v };
  }
  const first = v[0];
  if (typeof first === 'bigint')
    return { t: 'intArray', v: v.filter((x): x is bigint => typeof x === 'bigint') };
  if (typeof first === 'number')
    return { t: 'floatArray', v: v.filter((x): x is number => typeof x === 'number') };
  if (typeof first === 'boolean')
    return { t: 'boolArray', v: v.filter((x): x is boolean => typeof x === 'boolean') };
  return { t: 'stringArray', v: v.filter((x): x is string => typeof x === 'string') };
}

export function isArray(
  s: Static,
): s is Extract<Static, { t: 'intArray' | 'floatArray' | 'stringArray' | 'boolArray' }> {
  return s.t === 'intArray' || s.t === 'floatArray' || s.t === 'stringArray' || s.t === 'boolArray';
}

export function elements(s: Static): Static[] {
  switch (s.t) {
    case 'intArray':
      return s.v.map((v) => ({ t: 'int', v }));
    case 'floatArray':
      return s.v.map((v) => ({ t: 'float', v }));
    case 'stringArray':
      return s.v.map((v) => ({ t: 'string', v }));
    case 'boolArray':
      return s.v.map((v) => ({ t: 'bool', v }));
    default:
      return [s];
  }
}

export function arrayOf(items: Static[], like: Static): Static {
  switch (like.t) {
    case 'intArray':
      return { t: 'intArray', v: items.map((i) => payload(i) as bigint) };
    case 'floatArray':
      return { t: 'floatArray', v: items.map((i) => payload(i) as number) };
    case 'boolArray':
      return { t: 'boolArray', v: items.map((i) => payload(i) as boolean) };
    default:
      return { t: 'stringArray', v: items.map((i) => payload(i) as string) };
  }
}

export function isNumericStatic(s: Static): boolean {
  return s.t === 'int' || s.t === 'float' || s.t === 'duration';
}

export function toFloat(s: Static): number {
  switch (s.t) {
    case 'int':
    case 'duration':
      return Number(s.v);
    case 'float':
      return s.v;
    default:
      return Number.NaN;
  }
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's strings.Compare works on bytes; comparing UTF-8 encodings gives the same order. */
export function compareStrings(a: string, b: string): number {
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return cmp(a, b);
  return compareUtf8(a, b);
}

function applyOrder(op: string, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  return false;
}

/**
 * A comparison between two scalars of the SAME type, as Tempo's storage applies conditions: an int
 * attribute never equals a float literal, a string "200" never equals 200.
 */
export function compareSameType(op: string, a: Static, b: Static): boolean {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'string': {
      const bv = payload(b) as string;
      if (op === '=~') return compileRegex(bv).test(a.v);
      if (op === '!~') return !compileRegex(bv).test(a.v);
      return applyOrder(op, compareStrings(a.v, bv));
    }
    case 'int':
    case 'duration':
      return applyOrder(op, cmp(a.v, payload(b) as bigint));
    case 'float':
      return applyOrder(op, cmp(a.v, payload(b) as number));
    case 'bool':
    case 'status':
    case 'kind':
      return (op === '=' && a.v === payload(b)) || (op === '!=' && a.v !== payload(b));
    default:
      return false;
  }
}

const BOOLEAN_RESULT = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~', '&&', '||']);

/** Tempo's engine-side binary operation on two computed values. */
export function binaryOp(op: string, l: Static, r: Static): Static {
  if (l.t === 'nil' || r.t === 'nil') {
    if (op === '&&' || op === '||') {
      const lb = l.t === 'bool' ? l.v : false;
      const rb = r.t === 'bool' ? r.v : false;
      return { t: 'bool', v: op === '&&' ? lb && rb : lb || rb };
    }
    return BOOLEAN_RESULT.has(op) ? FALSE : NIL;
  }
  if (l.t === 'bool' && r.t === 'bool') {
    if (op === '&&') return { t: 'bool', v: l.v && r.v };
    if (op === '||') return { t: 'bool', v: l.v || r.v };
    if (op === '=' || op === '!=') return { t: 'bool', v: (l.v === r.v) === (op === '=') };
    return FALSE;
  }
  if (isArray(l) || isArray(r)) {
    if (!BOOLEAN_RESULT.has(op)) return NIL;
    const [arr, scalar, flipped] = isArray(l) ? [l, r, true] : [r, l, false];
    const all = op === '!=' || op === '!~';
    let matched = 0;
    const els = elements(arr);
    for (const e of els) {
      const ok = flipped ? compareSameType(op, e, scalar) : compareSameType(flip(op), e, scalar);
      if (ok) matched++;
    }
    return { t: 'bool', v: all ? matched === els.length : matched > 0 };
  }
  if (l.t === 'string' && r.t === 'string')
    return { t: 'bool', v: BOOLEAN_RESULT.has(op) && compareSameType(op, l, r) };
  if ((l.t === 'int' && r.t === 'int') || (l.t === 'duration' && r.t === 'duration')) {
    const a = payload(l) as bigint;
    const b = payload(r) as bigint;
    const t = l.t;
    switch (op) {
      case '+':
        return wrapInt(t, a + b);
      case '-':
        return wrapInt(t, a - b);
      case '*':
        return wrapInt(t, a * b);
      case '/':
        if (b === 0n) throw new ArithmeticError('division by zero');
        return wrapInt(t, a / b);
      case '%':
        if (b === 0n) throw new ArithmeticError('modulo by zero');
        return wrapInt(t, a % b);
      case '^':
        return t === 'int' ? wrapInt(t, intPow(a, b)) : { t: 'float', v: Number(a) ** Number(b) };
    }
    if (BOOLEAN_RESULT.has(op)) return { t: 'bool', v: compareSameType(op, l, r) };
  }
  if ((l.t === 'status' && r.t === 'status') || (l.t === 'kind' && r.t === 'kind')) {
    return { t: 'bool', v: compareSameType(op, l, r) };
  }
  if (!isNumericStatic(l) || !isNumericStatic(r)) return BOOLEAN_RESULT.has(op) ? FALSE : NIL;
  // The float catch-all: mixed int/float/duration arithmetic and comparison.
  const a = toFloat(l);
  const b = toFloat(r);
  switch (op) {
    case '+':
      return { t: 'float', v: a + b };
    case '-':
      return { t: 'float', v: a - b };
    case '*':
      return { t: 'float', v: a * b };
    case '/':
      return { t: 'float', v: a / b };
    case '%':
      return { t: 'float', v: a % b };
    case '^':
      return { t: 'float', v: a ** b };
    case '=':
      return { t: 'bool', v: a === b };
    case '!=':
      return { t: 'bool', v: a !== b };
    default:
      return { t: 'bool', v: applyOrder(op, cmp(a, b)) };
  }
}

function flip(op: string): string {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}

function wrapInt(t: 'int' | 'duration', v: bigint): Static {
  return { t, v: BigInt.asIntN(64, v) };
}

function intPow(base: bigint, exp: bigint): bigint {
  if (exp < 0n) return 0n;
  return base ** exp;
}

/** Go's time.Duration.String(), which Tempo uses to show durations as attribute values. */
export function goDurationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000n) out = `${u}ns`;
  else if (u < 1_000_000n) out = `${trimFraction(u, 1000n)}µs`;
  else if (u < 1_000_000_000n) out = `${trimFraction(u, 1_000_000n)}ms`;
  else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    const s = trimFraction(u, 1_000_000_000n);
    out = h > 0n ? `${h}h${m}m${s}s` : m > 0n ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const frac = v % unit;
  if (frac === 0n) return `${whole}`;
  const digits = unit.toString().length - 1;
  return `${whole}.${frac.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** How Tempo shows a value in search results (OTLP AnyValue JSON, ints as strings). */
export function toAnyValue(s: Static): Record<string, unknown> {
  switch (s.t) {
    case 'int':
      return { intValue: s.v.toString() };
    case 'float':
      return { doubleValue: s.v };
    case 'bool':
      return { boolValue: s.v };
    case 'duration':
      return { stringValue: goDurationString(s.v) };
    case 'string':
    case 'status':
    case 'kind':
      return { stringValue: s.v };
    case 'nil':
      return { stringValue: 'nil' };
    case 'intArray':
      return { arrayValue: { values: s.v.map((v) => ({ intValue: v.toString() })) } };
    case 'floatArray':
      return { arrayValue: { values: s.v.map((v) => ({ doubleValue: v })) } };
    case 'stringArray':
      return { arrayValue: { values: s.v.map((v) => ({ stringValue: v })) } };
    case 'boolArray':
      return { arrayValue: { values: s.v.map((v) => ({ boolValue: v })) } };
  }
}
