// The attributes Tempo 3.0.3 stores in columns of their own (vParquet4, its default block format:
// the well-known columns and the default dedicated string columns). When a query reads such a column
// without filtering it (by(), compare()), a span that lacks the attribute reads the string "nil" —
// not a missing value — so it keeps its label.
import type { Static } from './ast.ts';
import type { AttrValue } from './model.ts';

type ColumnType = 'string' | 'int';

const SPAN_COLUMNS: ReadonlyMap<string, ColumnType> = new Map([
  ['http.status_code', 'int'],
  ['http.method', 'string'],
  ['http.url', 'string'],
  ['http.request.method', 'string'],
  ['http.route', 'string'],
  ['url.path', 'string'],
  ['url.route', 'string'],
  ['server.address', 'string'],
]);

const RESOURCE_COLUMNS: ReadonlyMap<string, ColumnType> = new Map(
  [
    'service.name',
    'cluster',
    'namespace',
    'pod',
    'container',
    'k8s.cluster.name',
    'k8s.namespace.name',
    'k8s.pod.name',
    'k8s.container.name',
  ].map((n) => [n, 'string']),
);

const NIL_STRING: Static = { t: 'string', v: 'nil' };
const EMPTY: Static = { t: 'string', v: '' };

export function columnsOf(scope: 'span' | 'resource'): ReadonlyMap<string, ColumnType> {
  return scope === 'span' ? SPAN_COLUMNS : RESOURCE_COLUMNS;
}

/** Whether this value of the attribute sits in its column (otherwise it is a generic attribute). */
export function inColumn(scope: 'span' | 'resource', name: string, v: AttrValue): boolean {
  const type = columnsOf(scope).get(name);
  return (type === 'string' && typeof v === 'string') || (type === 'int' && typeof v === 'bigint');
}

/** What an unfiltered read of the column gives, or undefined when the attribute has no column. */
export function columnValue(
  scope: 'span' | 'resource',
  name: string,
  attrs: ReadonlyMap<string, AttrValue>,
): Static | undefined {
  const type = columnsOf(scope).get(name);
  if (!type) return undefined;
  const v = attrs.get(name);
  if (v !== undefined && inColumn(scope, name, v))
    return typeof v === 'bigint' ? { t: 'int', v } : { t: 'string', v: v as string };
  // service.name is a required column: an empty string, never null.
  return name === 'service.name' && scope === 'resource' ? EMPTY : NIL_STRING;
}
