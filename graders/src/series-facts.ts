// Small facts about labelled series for feedback: which label is the service and which the route, a
// series' name as a learner would say it ("api /api/search"), its finite values, and a one-line summary.
import type { Labels, Results } from './grafana-math.ts';

export type SeriesValue = Extract<Results[number], { kind: 'series' }>;

export const serviceKey = (l: Labels) => Object.keys(l).find((k) => /(^|\.)service\.name$/.test(k));
export const routeKey = (l: Labels) => Object.keys(l).find((k) => /(^|\.)http\.route$/.test(k));

export function seriesName(l: Labels): string {
  const s = serviceKey(l);
  const r = routeKey(l);
  if (s && r) return `${l[s] || '(no service)'} ${l[r] || '(no route)'}`;
  const rest = Object.entries(l).filter(([k]) => k !== 'p');
  return rest.length ? rest.map(([k, v]) => `${k}=${v}`).join(', ') : '(no labels)';
}

export const seriesOf = (r: Results): SeriesValue[] => r.filter((v): v is SeriesValue => v.kind === 'series');

export const finite = (s: SeriesValue): number[] =>
  s.points.map((p) => p.v).filter((v): v is number => v !== null && Number.isFinite(v));

export const fmt = (x: number) =>
  Number.isNaN(x)
    ? 'NaN'
    : Math.abs(x) >= 100 || x === 0
      ? String(Math.round(x))
      : Number(x.toPrecision(2)).toString();

/** "3 series: api /api/checkout, web /checkout, … (values 0 to 0.15)" or "no data". */
export function summarize(r: Results, unit = ''): string {
  const series = seriesOf(r);
  const numbers = r.filter((v): v is Extract<Results[number], { kind: 'number' }> => v.kind === 'number');
  if (series.length === 0 && numbers.length === 0) return 'no data (no series)';
  const names = [...series, ...numbers].map((v) => seriesName(v.labels));
  const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? `, … ${names.length - 6} more` : '');
  const values = series.flatMap(finite);
  const range = values.length
    ? ` (values ${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}${unit})`
    : '';
  return `${names.length} series: ${shown}${range}`;
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);
