// Tag names and tag values as Tempo's search endpoints give them, computed from the stored spans:
// /api/search/tags, /api/v2/search/tags?scope=, /api/search/tag/<name>/values, /api/v2/search/tag/<name>/values.
import type { AttrValue, Span, Trace } from '@dojo/traceql';

type Resource = Span['resource'];
type Scope = Span['scope'];

const attributeScopes = ['event', 'instrumentation', 'link', 'resource', 'span'] as const;
type AttributeScope = (typeof attributeScopes)[number];
export type TagScope = AttributeScope | 'intrinsic';

/** The intrinsics Tempo 3.0.3 lists under scope "intrinsic", whatever is stored. */
export const intrinsicTags = [
  'duration',
  'event:name',
  'event:timeSinceStart',
  'instrumentation:name',
  'instrumentation:version',
  'kind',
  'link:spanID',
  'link:traceID',
  'name',
  'rootName',
  'rootServiceName',
  'span:duration',
  'span:id',
  'span:kind',
  'span:name',
  'span:parentID',
  'span:status',
  'span:statusMessage',
  'status',
  'statusMessage',
  'trace:duration',
  'trace:id',
  'trace:rootName',
  'trace:rootService',
  'traceDuration',
];

export function isTagScope(s: string): s is TagScope {
  return s === 'intrinsic' || (attributeScopes as readonly string[]).includes(s);
}

/** Attribute keys per scope over the traces' spans (a shared resource or scope is read once). */
function keysByScope(traces: Iterable<Trace>): Record<AttributeScope, Set<string>> {
  const keys = Object.fromEntries(attributeScopes.map((s) => [s, new Set<string>()])) as Record<
    AttributeScope,
    Set<string>
  >;
  const seen = new Set<Resource | Scope>();
  for (const trace of traces) {
    for (const span of trace.spans) {
      for (const k of span.attrs.keys()) keys.span.add(k);
      for (const e of span.events) for (const k of e.attrs.keys()) keys.event.add(k);
      for (const l of span.links) for (const k of l.attrs.keys()) keys.link.add(k);
      if (!seen.has(span.resource)) {
        seen.add(span.resource);
        for (const k of span.resource.attrs.keys()) keys.resource.add(k);
      }
      if (!seen.has(span.scope)) {
        seen.add(span.scope);
        for (const k of span.scope.attrs.keys()) keys.instrumentation.add(k);
      }
    }
  }
  return keys;
}

const sorted = (s: Iterable<string>): string[] => [...s].sort();

/** /api/v2/search/tags: `{scopes: [{name, tags}]}`, one scope or all of them. */
export function tagsV2(
  traces: Iterable<Trace>,
  scope?: TagScope,
): { scopes: { name: string; tags: string[] }[] } {
  const keys = keysByScope(traces);
  const wanted: TagScope[] = scope ? [scope] : [...attributeScopes, 'intrinsic'];
  const scopes = wanted
    .map((name) => ({ name, tags: name === 'intrinsic' ? [...intrinsicTags] : sorted(keys[name]) }))
    .filter((s) => s.tags.length > 0 || scope !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { scopes };
}

/** /api/search/tags: every attribute key of every scope, in one list. */
export function tagsV1(traces: Iterable<Trace>): { tagNames: string[] } {
  const keys = keysByScope(traces);
  const all = new Set<string>();
  for (const s of attributeScopes) for (const k of keys[s]) all.add(k);
  return { tagNames: sorted(all) };
}

export interface TagValue {
  type: string;
  value?: string;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which Tempo uses to print float values. */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

type Pick = (span: Span, out: (v: AttrValue | TagValue) => void) => void;

const keywordKinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const keywordStatus = ['unset', 'ok', 'error'];

const intrinsicPickers: Record<string, Pick> = {
  name: (s, out) => out(s.name),
  status: (s, out) => out({ type: 'keyword', value: keywordStatus[s.statusCode]! }),
  kind: (s, out) => out({ type: 'keyword', value: keywordKinds[s.kind]! }),
  statusMessage: (s, out) => out(s.statusMessage),
  rootName: (s, out) => {
    if (!s.parentSpanId) out(s.name);
  },
  rootServiceName: (s, out) => {
    const service = s.resource.attrs.get('service.name');
    if (!s.parentSpanId && service !== undefined) out(service);
  },
  'event:name': (s, out) => {
    for (const e of s.events) out(e.name);
  },
  'instrumentation:name': (s, out) => out(s.scope.name),
  'instrumentation:version': (s, out) => out(s.scope.version),
};
for (const [alias, name] of [
  ['span:name', 'name'],
  ['span:status', 'status'],
  ['span:kind', 'kind'],
  ['span:statusMessage', 'statusMessage'],
  ['trace:rootName', 'rootName'],
  ['trace:rootService', 'rootServiceName'],
] as const) {
  intrinsicPickers[alias] = intrinsicPickers[name]!;
}

function unquote(key: string): string {
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key;
    }
  }
  return key;
}

/** How to read a tag's values from a span, or why the tag name is not one. */
export function tagPicker(tag: string): { ok: true; pick: Pick } | { ok: false; message: string } {
  const intrinsic = intrinsicPickers[tag];
  if (intrinsic) return { ok: true, pick: intrinsic };
  if (intrinsicTags.includes(tag)) return { ok: true, pick: () => {} };
  const scoped = /^(resource|span|event|link|instrumentation)?\.(.+)$/s.exec(tag);
  if (!scoped) {
    return {
      ok: false,
      message: `tag name is not valid intrinsic or scoped attribute: ${tag} (try span.${tag} or resource.${tag})`,
    };
  }
  const key = unquote(scoped[2]!);
  const each = (v: AttrValue | undefined, out: (v: AttrValue) => void) => {
    if (v !== undefined) out(v);
  };
  const picks: Record<string, Pick> = {
    span: (s, out) => each(s.attrs.get(key), out),
    resource: (s, out) => each(s.resource.attrs.get(key), out),
    event: (s, out) => {
      for (const e of s.events) each(e.attrs.get(key), out);
    },
    link: (s, out) => {
      for (const l of s.links) each(l.attrs.get(key), out);
    },
    instrumentation: (s, out) => each(s.scope.attrs.get(key), out),
    '': (s, out) => {
      each(s.attrs.get(key), out);
      each(s.resource.attrs.get(key), out);
    },
  };
  return { ok: true, pick: picks[scoped[1] ?? '']! };
}

function typed(v: AttrValue | TagValue, add: (t: TagValue) => void): void {
  if (Array.isArray(v)) {
    for (const item of v) typed(item, add);
  } else if (typeof v === 'object') {
    add(v as TagValue);
  } else if (typeof v === 'string') {
    add(v === '' ? { type: 'string' } : { type: 'string', value: v });
  } else if (typeof v === 'bigint') {
    add({ type: 'int', value: v.toString() });
  } else if (typeof v === 'number') {
    add({ type: 'float', value: goFloat(v) });
  } else {
    add({ type: 'bool', value: String(v) });
  }
}

/** Distinct typed values of one tag over these spans, sorted by type then value. */
export function tagValues(spans: Iterable<Span>, pick: Pick): TagValue[] {
  const found = new Map<string, TagValue>();
  const add = (t: TagValue) => {
    const key = `${t.type}\u0000${t.value ?? ''}`;
    if (!found.has(key)) found.set(key, t);
  };
  for (const span of spans) pick(span, (v) => typed(v, add));
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

export function* spansOf(traces: Iterable<Trace>): Iterable<Span> {
  for (const trace of traces) yield* trace.spans;
}
