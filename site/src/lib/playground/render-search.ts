// Search results drawn as Tempo's search shows them: one entry per trace (root service and name,
// duration, age, id) and under it each span set, with its matched count and the spans drawn. Tempo
// names a span only when the query asks about names; the playground looks the rest up in the trace.
import type { TraceSearchMetadata } from '@dojo/traceql';
import { h } from './dom.ts';
import { ago, duration, value } from './format.ts';

/** Traces drawn before "show all": enough to read, short enough for a phone. */
const FIRST_PAGE = 20;

export type SpanLookup = (traceId: string, spanId: string) => { service: string; name: string } | undefined;

export function renderSearch(
  traces: TraceSearchMetadata[],
  all: boolean,
  onShowAll: () => void,
  lookup: SpanLookup,
): HTMLElement {
  const shown = all ? traces : traces.slice(0, FIRST_PAGE);
  const spans = (t: TraceSearchMetadata) =>
    Object.values(t.serviceStats).reduce((n, s) => n + s.spanCount, 0);
  const more =
    !all && traces.length > FIRST_PAGE
      ? h('button', { type: 'button', class: 'pg-more' }, `Show all ${traces.length} traces`)
      : undefined;
  more?.addEventListener('click', onShowAll);
  return h(
    'div',
    {},
    h(
      'ol',
      { class: 'pg-traces' },
      shown.map((t) =>
        h(
          'li',
          { class: 'pg-trace', 'data-trace-id': t.traceID },
          h(
            'div',
            { class: 'pg-trace-head' },
            h(
              'button',
              { type: 'button', class: 'pg-open', 'data-trace-id': t.traceID },
              h('span', { class: 'pg-sr' }, 'Waterfall of '),
              `${t.rootServiceName}: ${t.rootTraceName ?? ''}`,
            ),
            h(
              'span',
              { class: 'pg-meta' },
              `${duration((t.durationMs ?? 0) * 1e6)} · ${spans(t)} spans · ${ago(BigInt(t.startTimeUnixNano))} · `,
              h('code', {}, t.traceID.slice(0, 12)),
            ),
          ),
          t.spanSets.map((set) =>
            h(
              'div',
              { class: 'pg-set', 'data-matched': set.matched },
              h(
                'p',
                { class: 'pg-set-head' },
                `${set.matched} matched span${set.matched === 1 ? '' : 's'}`,
                set.spans.length < set.matched ? `, ${set.spans.length} shown` : '',
                (set.attributes ?? []).map((a) =>
                  h('span', { class: 'pg-attr' }, `${a.key} = ${value(a.value)}`),
                ),
              ),
              h(
                'ul',
                { class: 'pg-spans' },
                set.spans.map((s) =>
                  h(
                    'li',
                    { 'data-span-id': s.spanID },
                    h('span', { class: 'pg-span-svc' }, lookup(t.traceID, s.spanID)?.service ?? ''),
                    ' ',
                    h('span', { class: 'pg-span-name' }, s.name ?? lookup(t.traceID, s.spanID)?.name ?? ''),
                    ' ',
                    h('span', { class: 'pg-span-dur' }, duration(Number(s.durationNanos))),
                    (s.attributes ?? []).map((a) =>
                      h('span', { class: 'pg-attr' }, `${a.key} = ${value(a.value)}`),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    more,
  );
}
