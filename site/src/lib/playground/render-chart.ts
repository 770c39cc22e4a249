// A metrics answer as a small line chart (inline SVG, one line per series) with its numbers in a table
// beside it, so the chart is readable without sight and on a phone.
import type { QueryRangeBody } from '@dojo/traceql';
import { h, svg } from './dom.ts';
import { value } from './format.ts';

/** Lines drawn; their colours (pg-s0…7) are in playground.css, one set per theme. */
const LINES = 8;
const H = 200;
const PAD = { left: 52, right: 12, top: 22, bottom: 26 };

type Series = NonNullable<QueryRangeBody['series']>[number];

export function seriesName(s: Series): string {
  return s.labels.length ? `{${s.labels.map((l) => `${l.key}=${value(l.value)}`).join(', ')}}` : '{}';
}

export const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toPrecision(3).replace(/\.?0+$/, ''));

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= max)!;
}

/** `width`: the column's width in CSS pixels, so the chart's text is drawn at its own size on any screen. */
export function renderChart(
  body: QueryRangeBody,
  query: string,
  unit: string,
  endMs: number,
  width: number,
): HTMLElement {
  const W = Math.max(280, Math.round(width));
  const series = (body.series ?? []).slice(0, LINES);
  if (series.length === 0)
    return h('p', { class: 'pg-empty' }, 'No series: nothing matched in the recording.');
  const times = [...new Set(series.flatMap((s) => s.samples.map((p) => Number(p.timestampMs))))].sort(
    (a, b) => a - b,
  );
  const t0 = times[0]!;
  const t1 = Math.max(times.at(-1)!, t0 + 1);
  const top = niceMax(Math.max(...series.flatMap((s) => s.samples.map((p) => p.value ?? 0))));
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const ago = (t: number) =>
    Math.round((endMs - t) / 1000) <= 0 ? 'now' : `−${Math.round((endMs - t) / 1000)} s`;
  const peaks = series.map(
    (s) => `${seriesName(s)} peaks at ${num(Math.max(...s.samples.map((p) => p.value ?? 0)))}`,
  );
  const chart = svg(
    'svg',
    {
      class: 'pg-chart',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': `Line chart of ${query} over the recording${unit ? `, in ${unit}` : ''}: ${peaks.join('; ')}.`,
    },
    unit && svg('text', { x: PAD.left + 4, y: 12 }, unit),
    [0, 0.5, 1].map((f) => [
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(top * f), y2: y(top * f), class: 'pg-grid' }),
      svg('text', { x: PAD.left - 6, y: y(top * f) + 4, 'text-anchor': 'end' }, num(top * f)),
    ]),
    [t0, (t0 + t1) / 2, t1].map((t, i) =>
      svg('text', { x: x(t), y: H - 8, 'text-anchor': ['start', 'middle', 'end'][i] }, ago(t)),
    ),
    series.map((s, i) =>
      svg('polyline', {
        class: `pg-line pg-s${i}`,
        fill: 'none',
        'stroke-width': 2,
        points: s.samples
          .map((p) => `${x(Number(p.timestampMs)).toFixed(1)},${y(p.value ?? 0).toFixed(1)}`)
          .join(' '),
        'data-series': seriesName(s),
      }),
    ),
  );
  return h(
    'figure',
    { class: 'pg-metrics' },
    chart,
    h(
      'ul',
      { class: 'pg-legend' },
      series.map((s, i) => h('li', {}, h('span', { class: `pg-swatch pg-s${i}` }), seriesName(s))),
    ),
    (body.series ?? []).length > series.length &&
      h('p', { class: 'pg-empty' }, `${(body.series ?? []).length - series.length} more series not drawn.`),
    h(
      'details',
      {},
      h('summary', {}, 'The numbers as a table'),
      h(
        'div',
        { class: 'pg-table', tabindex: 0, role: 'region', 'aria-label': 'Chart data' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'time'),
              series.map((s) => h('th', { scope: 'col' }, seriesName(s))),
            ),
          ),
          h(
            'tbody',
            {},
            times.map((t) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, ago(t)),
                series.map((s) =>
                  h('td', {}, num(s.samples.find((p) => Number(p.timestampMs) === t)?.value ?? 0)),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
