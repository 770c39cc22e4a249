// The values a metrics function reads from a span, as Tempo's storage hands them over: by() labels and
// the measured attribute come from the first fetch pass when the query's filter already fetched that
// column (narrowed to the values its conditions kept), otherwise from a second, unfiltered pass; and
// trace-level and scope columns that Tempo stores as required strings read "" rather than nothing.
import type { FieldExpr, Static } from './ast.ts';
import { type FetchPlan, type Ref, refKey, refOf } from './fetch-plan.ts';
import { columnValue } from './metrics-columns.ts';
import type { Span, Trace } from './model.ts';
import { candidates, fetchedCandidates } from './span-values.ts';
import { fromAttr, NIL } from './values.ts';

const EMPTY_STRING_COLUMNS = new Set([
  'rootName',
  'rootServiceName',
  'instrumentation:name',
  'instrumentation:version',
]);

export type ValueReader = (span: Span, trace: Trace) => Static;

/**
 * A reader of one attribute or intrinsic. `narrowWhen` says when first-pass narrowing applies: for
 * by() only when every condition must hold (otherwise Tempo re-fetches the column unfiltered), for
 * the measured attribute whenever the first pass fetched it.
 */
export function valueReader(
  e: FieldExpr,
  plan: FetchPlan,
  narrowWhen: 'allConditions' | 'always',
): ValueReader {
  const ref = refOf(e);
  if (!ref) return () => NIL;
  const key = refKey(ref);
  const conds = plan.byKey.get(key);
  const narrowed = conds !== undefined && (narrowWhen === 'always' || plan.allConditions);
  if (!narrowed) return (span, trace) => unfiltered(ref, span, trace);
  const readsNils = conds.some((c) => c.op === 'none');
  return (span, trace) => {
    const v = fetchedCandidates(conds, ref, span, trace)[0]?.value;
    if (v !== undefined) return v;
    return readsNils ? (columnRead(ref, span) ?? NIL) : NIL;
  };
}

/** A column read without a predicate: its value, "nil" for a span without one (undefined: no column). */
function columnRead(ref: Ref, span: Span): Static | undefined {
  if (ref.kind !== 'attr' || (ref.scope !== 'span' && ref.scope !== 'resource')) return undefined;
  return columnValue(ref.scope, ref.name, ref.scope === 'span' ? span.attrs : span.resource.attrs);
}

/** The second pass: an unfiltered read of the attribute (an unscoped one: span first, then resource). */
function unfiltered(ref: Ref, span: Span, trace: Trace): Static {
  if (ref.kind === 'attr' && ref.scope === 'none') {
    for (const scope of ['span', 'resource'] as const) {
      const attrs = scope === 'span' ? span.attrs : span.resource.attrs;
      const col = columnValue(scope, ref.name, attrs);
      if (col) return col;
      const v = attrs.get(ref.name);
      if (v !== undefined) return fromAttr(v);
    }
    return NIL;
  }
  return columnRead(ref, span) ?? rawValues(ref, span, trace)[0] ?? NIL;
}

/** Raw (unfiltered) candidates of a ref, with Tempo's "" for required string columns. */
export function rawValues(ref: Ref, span: Span, trace: Trace): Static[] {
  const cands = candidates(ref, span, trace);
  if (cands.length === 0 && ref.kind === 'intrinsic' && EMPTY_STRING_COLUMNS.has(ref.name))
    return [{ t: 'string', v: '' }];
  return cands.map((c) => c.value);
}
