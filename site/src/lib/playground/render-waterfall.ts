// The waterfall of one trace in the playground: the same tree order and orphan rule as the site's
// build-time <Waterfall> (graders' trace model), drawn in the page, with the query's matches marked.

import { type Span, type SpanKindName, traceView, treeOrder } from '@dojo/graders/trace-model';
import type { Span as EngineSpan, Trace } from '@dojo/traceql';
import { h } from './dom.ts';
import { duration } from './format.ts';

const KINDS: SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const plain = (attrs: ReadonlyMap<string, unknown>) =>
  Object.fromEntries([...attrs].map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));

function viewSpan(s: EngineSpan): Span {
  const resource = plain(s.resource.attrs);
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    service: String(resource['service.name'] ?? 'unknown'),
    name: s.name,
    kind: KINDS[s.kind] ?? 'unspecified',
    status: s.statusCode === 2 ? 'error' : s.statusCode === 1 ? 'ok' : 'unset',
    statusMessage: s.statusMessage,
    startMs: Number(s.startNs / 1000n) / 1000,
    durationMs: s.durationNs / 1e6,
    attributes: plain(s.attrs),
    resource,
    events: [],
  };
}

export function renderWaterfall(trace: Trace, matched: Set<string>): HTMLElement {
  const view = traceView(trace.spans.map(viewSpan));
  const rows = treeOrder(view);
  const services = [...new Set(rows.map(({ span }) => span.service))];
  const orphans = new Set(view.orphans.map((s) => s.spanId));
  const pct = (n: number) => `${((n / (view.durationMs || 1)) * 100).toFixed(2)}%`;
  const caption = `Trace ${trace.traceId.slice(0, 12)}`;
  return h(
    'figure',
    { class: 'waterfall pg-waterfall', 'data-trace-id': trace.traceId },
    h(
      'figcaption',
      {},
      caption,
      h(
        'span',
        { class: 'meta' },
        ` · ${view.spans.length} spans · ${services.join(', ')} · ${duration(view.durationMs * 1e6)}${matched.size ? ` · ${matched.size} matched` : ''}`,
      ),
    ),
    h(
      'div',
      { class: 'scroller', tabindex: 0, role: 'region', 'aria-label': `${caption}: spans` },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['service', 'span', 'timeline', 'duration'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map(({ span, depth }) =>
            h(
              'tr',
              {
                class: [span.status === 'error' && 'error', matched.has(span.spanId) && 'matched']
                  .filter(Boolean)
                  .join(' '),
                'data-span-id': span.spanId,
              },
              h(
                'td',
                {},
                h('span', { class: `svc svc-${services.indexOf(span.service) % 5}` }, span.service),
              ),
              h(
                'td',
                { class: 'name', title: span.name, style: `padding-left: ${0.25 + depth * 0.9}rem` },
                orphans.has(span.spanId) ||
                  (depth === 0 && span.parentSpanId === '' && span.service !== 'web')
                  ? '⚠ '
                  : '',
                matched.has(span.spanId) &&
                  h('span', { class: 'pg-hit' }, h('span', { class: 'pg-sr' }, 'matched: '), '● '),
                span.name,
                span.status === 'error' && h('span', { class: 'badge' }, 'error'),
              ),
              h(
                'td',
                { class: 'track' },
                h('span', {
                  class: `bar svc-${services.indexOf(span.service) % 5}`,
                  style: `left: ${pct(span.startMs - view.startMs)}; width: max(2px, ${pct(span.durationMs)})`,
                }),
              ),
              h('td', { class: 'dur' }, duration(span.durationMs * 1e6)),
            ),
          ),
        ),
      ),
    ),
  );
}
