// Reading a span's values as Tempo's storage hands them to the engine: the raw candidates for an
// attribute or intrinsic, whether a fetch condition holds on them, and the values that survive the
// conditions (what the engine evaluates and what search results show).
import type { Static } from './ast.ts';
import type { Condition, Ref } from './fetch-plan.ts';
import type { Span, SpanEvent, SpanLink, Trace } from './model.ts';
import { serviceName } from './model.ts';
import { compileRegex } from './regex.ts';
import { arrayOf, compareSameType, elements, fromAttr, isArray } from './values.ts';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUSES = ['unset', 'ok', 'error'] as const;

/** Where one candidate value came from: events and links are told apart so conditions hold per item. */
export interface Candidate {
  readonly value: Static;
  readonly event?: SpanEvent;
  readonly link?: SpanLink;
  /** For unscoped attributes: 'span' or 'resource'. */
  readonly from?: 'span' | 'resource';
}

function stripZeros(hex: string): string {
  const s = hex.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

const ID_INTRINSICS = new Set(['trace:id', 'span:id', 'span:parentID', 'link:traceID', 'link:spanID']);

export function candidates(ref: Ref, span: Span, trace: Trace): Candidate[] {
  if (ref.kind === 'attr') {
    switch (ref.scope) {
      case 'span': {
        const v = span.attrs.get(ref.name);
        return v === undefined ? [] : [{ value: fromAttr(v) }];
      }
      case 'resource': {
        const v = span.resource.attrs.get(ref.name);
        return v === undefined ? [] : [{ value: fromAttr(v) }];
      }
      case 'none': {
        const out: Candidate[] = [];
        const s = span.attrs.get(ref.name);
        if (s !== undefined) out.push({ value: fromAttr(s), from: 'span' });
        const r = span.resource.attrs.get(ref.name);
        if (r !== undefined) out.push({ value: fromAttr(r), from: 'resource' });
        return out;
      }
      case 'instrumentation': {
        const v = span.scope.attrs.get(ref.name);
        return v === undefined ? [] : [{ value: fromAttr(v) }];
      }
      case 'event': {
        const out: Candidate[] = [];
        for (const event of span.events) {
          const v = event.attrs.get(ref.name);
          if (v !== undefined) out.push({ value: fromAttr(v), event });
        }
        return out;
      }
      case 'link': {
        const out: Candidate[] = [];
        for (const link of span.links) {
          const v = link.attrs.get(ref.name);
          if (v !== undefined) out.push({ value: fromAttr(v), link });
        }
        return out;
      }
    }
  }
  switch (ref.name) {
    case 'name':
      return [{ value: { t: 'string', v: span.name } }];
    case 'status':
      return [{ value: { t: 'status', v: STATUSES[span.statusCode] } }];
    case 'statusMessage':
      return [{ value: { t: 'string', v: span.statusMessage } }];
    case 'kind':
      return [{ value: { t: 'kind', v: KINDS[span.kind] } }];
    case 'duration':
      return [{ value: { t: 'duration', v: BigInt(span.durationNs) } }];
    case 'childCount':
      // The live store does not serve span:childCount in Tempo 3.0.3: it never matches.
      return [];
    case 'traceDuration':
      return [{ value: { t: 'duration', v: trace.endNs - trace.startNs } }];
    case 'rootName':
      return trace.rootSpan ? [{ value: { t: 'string', v: trace.rootSpan.name } }] : [];
    case 'rootServiceName': {
      const svc = trace.rootSpan ? serviceName(trace.rootSpan) : undefined;
      return svc !== undefined ? [{ value: { t: 'string', v: svc } }] : [];
    }
    case 'nestedSetLeft':
      return [{ value: { t: 'int', v: BigInt(span.nestedSetLeft) } }];
    case 'nestedSetRight':
      return [{ value: { t: 'int', v: BigInt(span.nestedSetRight) } }];
    case 'nestedSetParent':
      return [{ value: { t: 'int', v: BigInt(span.nestedSetParent) } }];
    case 'trace:id':
      return [{ value: { t: 'string', v: span.traceId } }];
    case 'span:id':
      return [{ value: { t: 'string', v: span.spanId } }];
    case 'span:parentID':
      return span.parentSpanId ? [{ value: { t: 'string', v: span.parentSpanId } }] : [];
    case 'event:name':
      return span.events.map((event) => ({ value: { t: 'string', v: event.name }, event }));
    case 'event:timeSinceStart':
      return span.events.map((event) => ({
        value: { t: 'duration', v: event.timeNs - span.startNs },
        event,
      }));
    case 'link:traceID':
      return span.links.map((link) => ({ value: { t: 'string', v: link.traceId }, link }));
    case 'link:spanID':
      return span.links.map((link) => ({ value: { t: 'string', v: link.spanId }, link }));
    case 'instrumentation:name':
      return span.scope.name ? [{ value: { t: 'string', v: span.scope.name } }] : [];
    case 'instrumentation:version':
      return span.scope.version ? [{ value: { t: 'string', v: span.scope.version } }] : [];
    case 'startTime':
    case 'structural':
      return [{ value: { t: 'bool', v: true } }];
    case 'parent':
      return [];
  }
}

function scalarHolds(c: Condition, v: Static): boolean {
  const operand = c.operand!;
  if (
    c.ref.kind === 'intrinsic' &&
    ID_INTRINSICS.has(c.ref.name) &&
    v.t === 'string' &&
    operand.t === 'string'
  ) {
    return compareSameType(
      c.op,
      { t: 'string', v: stripZeros(v.v) },
      { t: 'string', v: stripZeros(operand.v.toLowerCase()) },
    );
  }
  if (v.t === 'duration' && operand.t === 'int')
    return compareSameType(c.op, v, { t: 'duration', v: operand.v });
  return compareSameType(c.op, v, operand);
}

/** The part of a value a condition keeps: the whole scalar, the matching array elements, or nothing. */
export function keepFor(c: Condition, v: Static): Static | undefined {
  if (c.op === 'none' || c.op === 'exists' || c.op === 'notExists') return v;
  if (isArray(v)) {
    const kept = elements(v).filter((e) => scalarHolds(c, e));
    if (kept.length === 0) return undefined;
    return kept.length === 1 ? kept[0] : arrayOf(kept, v);
  }
  return scalarHolds(c, v) ? v : undefined;
}

type Check = (span: Span, trace: Trace) => boolean;
const compiled = new WeakMap<Condition, Check>();

const TYPEOF: Partial<Record<Static['t'], string>> = {
  string: 'string',
  int: 'bigint',
  float: 'number',
  bool: 'boolean',
};

function scalarTest(op: string, operand: Static): ((v: unknown) => boolean) | undefined {
  const expected = TYPEOF[operand.t];
  if (!expected) return undefined;
  const o = (operand as { v: unknown }).v as string;
  let test: (v: string) => boolean;
  switch (op) {
    case '=':
      test = (v) => v === o;
      break;
    case '!=':
      test = (v) => v !== o;
      break;
    case '<':
      test = (v) => v < o;
      break;
    case '<=':
      test = (v) => v <= o;
      break;
    case '>':
      test = (v) => v > o;
      break;
    case '>=':
      test = (v) => v >= o;
      break;
    case '=~':
    case '!~': {
      if (expected !== 'string') return undefined;
      const re = compileRegex(o as string);
      test = op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
      break;
    }
    default:
      return undefined;
  }
  // Non-ASCII strings order by their UTF-8 bytes in Go: leave those to the general path.
  if (
    expected === 'string' &&
    op !== '=' &&
    op !== '!=' &&
    op !== '=~' &&
    op !== '!~' &&
    !/^[\x00-\x7f]*$/.test(o as string)
  )
    return undefined;
  return (v: unknown) => {
    if (typeof v === expected) return test(v as string);
    if (Array.isArray(v)) return v.some((e) => typeof e === expected && test(e as string));
    return false;
  };
}

/** A condition as a closure: the hot path of every search reads attributes without allocating. */
function compile(c: Condition): Check {
  const generic: Check = (span, trace) => conditionHoldsSlow(c, span, trace);
  if (
    c.ref.kind !== 'attr' ||
    c.operand === undefined ||
    (c.ref.scope !== 'span' && c.ref.scope !== 'resource')
  ) {
    return generic;
  }
  const t = scalarTest(c.op, c.operand);
  if (!t) return generic;
  const name = c.ref.name;
  if (c.ref.scope === 'span') {
    return (span) => {
      const v = span.attrs.get(name);
      return v !== undefined && t(v);
    };
  }
  return (span) => {
    const v = span.resource.attrs.get(name);
    return v !== undefined && t(v);
  };
}

export function conditionHolds(c: Condition, span: Span, trace: Trace): boolean {
  let check = compiled.get(c);
  if (!check) {
    check = compile(c);
    compiled.set(c, check);
  }
  return check(span, trace);
}

function conditionHoldsSlow(c: Condition, span: Span, trace: Trace): boolean {
  const cands = candidates(c.ref, span, trace);
  if (c.op === 'notExists') {
    // Tempo cannot test an instrumentation-scope attribute for nil: nothing matches.
    if (c.ref.kind === 'attr' && c.ref.scope === 'instrumentation') return false;
    return cands.length === 0;
  }
  for (const cand of unshadowed(c.ref, cands)) if (keepFor(c, cand.value) !== undefined) return true;
  return false;
}

/** An unscoped key set on the span hides the resource's value of the same key from the engine. */
function unshadowed(ref: Ref, cands: Candidate[]): Candidate[] {
  return ref.kind === 'attr' && ref.scope === 'none' && cands.length > 1 ? [cands[0]!] : cands;
}

/** With all conditions required, event (and link) conditions must hold on one and the same event. */
export function allHold(conds: readonly Condition[], span: Span, trace: Trace): boolean {
  const eventConds: Condition[] = [];
  const linkConds: Condition[] = [];
  for (const c of conds) {
    const scope = scopeOf(c.ref);
    if (scope === 'event' && c.op !== 'notExists') eventConds.push(c);
    else if (scope === 'link' && c.op !== 'notExists') linkConds.push(c);
    else if (!conditionHolds(c, span, trace)) return false;
  }
  const onEvent = (ev: SpanEvent) => eventConds.every((c) => holdsOnItem(c, span, trace, ev, 'event'));
  const onLink = (l: SpanLink) => linkConds.every((c) => holdsOnItem(c, span, trace, l, 'link'));
  if (eventConds.length > 0 && !span.events.some(onEvent)) return false;
  if (linkConds.length > 0 && !span.links.some(onLink)) return false;
  return true;
}

function holdsOnItem(
  c: Condition,
  span: Span,
  trace: Trace,
  item: SpanEvent | SpanLink,
  what: 'event' | 'link',
): boolean {
  for (const cand of candidates(c.ref, span, trace)) {
    if ((what === 'event' ? cand.event : cand.link) !== item) continue;
    if (keepFor(c, cand.value) !== undefined) return true;
  }
  return false;
}

export function scopeOf(ref: Ref): 'event' | 'link' | 'other' {
  if (ref.kind === 'attr') return ref.scope === 'event' ? 'event' : ref.scope === 'link' ? 'link' : 'other';
  if (ref.name === 'event:name' || ref.name === 'event:timeSinceStart') return 'event';
  if (ref.name === 'link:traceID' || ref.name === 'link:spanID') return 'link';
  return 'other';
}

/** Candidates with their value narrowed by the conditions on this ref (none → the whole value). */
export function fetchedCandidates(
  conds: readonly Condition[] | undefined,
  ref: Ref,
  span: Span,
  trace: Trace,
  all = false,
): Candidate[] {
  const raw = candidates(ref, span, trace);
  if (!conds || conds.some((c) => c.op === 'none' || c.op === 'exists' || c.op === 'notExists'))
    return all ? raw : unshadowed(ref, raw);
  const cands = unshadowed(ref, raw);
  const out: Candidate[] = [];
  for (const cand of cands) {
    for (const c of conds) {
      const kept = keepFor(c, cand.value);
      if (kept !== undefined) {
        out.push({ ...cand, value: kept });
        break;
      }
    }
  }
  return out;
}
