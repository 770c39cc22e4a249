// Shape checks on the parsed query (the engine's AST, never the text): a question that asks to show an
// attribute next to each match wants it in select(...), one that asks for groups wants it in by(...).
import { type FieldExpr, type Pipeline, parseTraceQL, type Query } from '@dojo/traceql';

export interface Shape {
  /** attributes the answer must select, written as in TraceQL: span.http.route, duration */
  select?: string[];
  /** attributes the answer must group by (| by(...) or a metrics query's by (...)) */
  by?: string[];
}

/** One attribute or intrinsic written as TraceQL, read by the engine's own parser. */
export function fieldOf(text: string): FieldExpr {
  const parsed = parseTraceQL(`{ } | select(${text})`);
  const select = parsed.ok ? parsed.query.pipeline.elements.find((e) => e.type === 'select') : undefined;
  if (select?.type !== 'select' || select.attrs.length !== 1)
    throw new Error(`"${text}" is not one TraceQL attribute or intrinsic`);
  return select.attrs[0]!;
}

/** The learner's field names the wanted one: the same intrinsic, or the attribute in its scope or unscoped. */
function names(got: FieldExpr, wanted: FieldExpr): boolean {
  if (got.type === 'intrinsic' && wanted.type === 'intrinsic') return got.name === wanted.name;
  if (got.type !== 'attribute' || wanted.type !== 'attribute') return false;
  return got.name === wanted.name && !got.parent && (got.scope === wanted.scope || got.scope === 'none');
}

function collect(p: Pipeline, into: { select: FieldExpr[]; by: FieldExpr[] }): void {
  for (const e of p.elements) {
    if (e.type === 'select') into.select.push(...e.attrs);
    else if (e.type === 'by') into.by.push(e.expr);
    else if (e.type === 'pipeline') collect(e, into);
    else if (e.type === 'spansetOp') {
      for (const side of [e.lhs, e.rhs]) if (side.type === 'pipeline') collect(side, into);
    }
  }
}

/** What the answer lacks of the shape the question asks for, in words a learner can act on; undefined if nothing. */
export function shapeProblem(query: Query, shape: Shape): string | undefined {
  const found = { select: [] as FieldExpr[], by: [] as FieldExpr[] };
  collect(query.pipeline, found);
  found.by.push(...(query.metrics?.by ?? []));
  const missing = (kind: 'select' | 'by') =>
    (shape[kind] ?? []).filter((w) => !found[kind].some((g) => names(g, fieldOf(w))));
  const notSelected = missing('select');
  if (notSelected.length)
    return `it does not select ${notSelected.join(', ')}: add | select(${notSelected.join(', ')}) after the span set, so each match shows it`;
  const notGrouped = missing('by');
  if (notGrouped.length)
    return `it does not group by ${notGrouped.join(', ')}: add by(${notGrouped.join(', ')})`;
  return undefined;
}
