// Draws TraceQL metrics series in the terminal: one sparkline per series on a shared time axis, its
// peak and last value, and the exemplar trace ids found at its worst points — so "from a spike to the
// trace behind it" works without Grafana (`dojo query '{…} | quantile_over_time(duration, .95)'`).
import { printable } from '@dojo/course';
import { parseTraceQL } from '@dojo/traceql';
import type { MetricsExemplarPoint, MetricsSeriesView } from './tempo-metrics.ts';
import { formatDuration } from './waterfall.ts';

export type MetricsUnit = 'seconds' | 'per-second' | 'count';

/** A query with a metrics stage (`| rate()`, `| quantile_over_time(…)`, …), as the engine parses it. */
export function hasMetricsStage(query: string): boolean {
  const parsed = parseTraceQL(query);
  return parsed.ok && parsed.query.metrics !== undefined;
}

/** What a metrics query's numbers are: durations (seconds), rates (per second) or counts. */
export function metricsUnit(query: string): MetricsUnit {
  const parsed = parseTraceQL(query);
  const m = parsed.ok ? parsed.query.metrics : undefined;
  if (!m) return 'count';
  if (m.fn === 'rate') return 'per-second';
  const measured = m.attr?.type === 'intrinsic' || m.attr?.type === 'attribute' ? m.attr.name : '';
  const overTime = ['quantile_over_time', 'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time'];
  return overTime.includes(m.fn) && /duration/i.test(measured) ? 'seconds' : 'count';
}

export interface ChartOptions {
  width?: number;
  colour?: boolean;
  unit?: MetricsUnit;
  /** worst points (with exemplars) listed under each series */
  worst?: number;
  /** at most this many series, the highest peaks first */
  maxSeries?: number;
}

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatValue(v: number, unit: MetricsUnit = 'count'): string {
  if (unit === 'seconds') return formatDuration(v * 1000);
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
  return unit === 'per-second' ? `${n}/s` : n;
}

/** "api /api/search" for service and route labels, "status=error" for others, the function's name without by(). */
export function seriesLabel(s: MetricsSeriesView): string {
  const named = Object.entries(s.labels).filter(([k]) => k !== 'p' && k !== '__name__');
  const text = named.map(([k, v]) =>
    /(service\.name|http\.route)$/.test(k) ? v : `${k.replace(/^(resource|span)\./, '')}=${v}`,
  );
  return printable(text.join(' ') || `${s.labels.__name__ ?? 'all spans'} (all spans)`);
}

/** Values spread over `cells` columns, each the largest value of the samples it covers. */
export function sparkline(values: number[], cells: number, top: number): string {
  if (values.length === 0) return '';
  let out = '';
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * values.length) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / cells));
    const v = Math.max(...values.slice(from, to));
    out += v <= 0 || top <= 0 ? ' ' : blocks[Math.min(7, Math.floor((v / top) * 7.999))];
  }
  return out;
}

/** The exemplars in the bucket a sample closes: Tempo's sample at t counts spans in (t − step, t]. */
export function exemplarsAt(s: MetricsSeriesView, i: number): MetricsExemplarPoint[] {
  const t = s.points[i]!.tMs;
  const step = i > 0 ? t - s.points[i - 1]!.tMs : s.points.length > 1 ? s.points[1]!.tMs - t : 0;
  return s.exemplars.filter((e) => e.tMs <= t && e.tMs > t - step);
}

/** The `n` highest samples of a series, each with the exemplar trace ids of its bucket. */
export function worstPoints(s: MetricsSeriesView, n: number) {
  return s.points
    .map((p, i) => ({ ...p, exemplars: exemplarsAt(s, i) }))
    .filter((p) => p.value > 0)
    .sort((a, b) => b.value - a.value || b.exemplars.length - a.exemplars.length)
    .slice(0, n);
}

/** The trace behind the highest point of any series that has an exemplar there. */
export function worstExemplar(series: MetricsSeriesView[]): string | undefined {
  const points = series.flatMap((s) => worstPoints(s, 3)).filter((w) => w.exemplars.length > 0);
  return points.sort((a, b) => b.value - a.value)[0]?.exemplars[0]?.traceId;
}

export function renderMetrics(series: MetricsSeriesView[], options: ChartOptions = {}): string {
  const colour = options.colour ?? false;
  const unit = options.unit ?? 'count';
  const width = Math.max(60, options.width ?? 100);
  const peak = (s: MetricsSeriesView) => Math.max(0, ...s.points.map((p) => p.value));
  const shown = [...series].sort((a, b) => peak(b) - peak(a)).slice(0, options.maxSeries ?? 20);
  const labelWidth = Math.min(40, Math.max(...shown.map((s) => seriesLabel(s).length), 8));
  const cells = Math.max(10, width - labelWidth - 32);
  const top = Math.max(0, ...shown.map(peak));
  const first = Math.min(...shown.map((s) => s.points[0]?.tMs ?? Number.POSITIVE_INFINITY));
  const last = Math.max(...shown.map((s) => s.points.at(-1)?.tMs ?? 0));
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const lines: string[] = [
    paint(
      colour,
      2,
      `${''.padEnd(labelWidth)}  ${clock(first)}${' '.repeat(Math.max(1, cells - 16))}${clock(last)}`,
    ),
  ];
  for (const s of shown) {
    const label = seriesLabel(s);
    const name = label.length > labelWidth ? `${label.slice(0, labelWidth - 1)}…` : label.padEnd(labelWidth);
    const bars = sparkline(
      s.points.map((p) => p.value),
      cells,
      top,
    ).padEnd(cells);
    const stats = `peak ${formatValue(peak(s), unit)}  last ${formatValue(s.points.findLast((p) => p.value > 0)?.value ?? 0, unit)}`;
    lines.push(`${paint(colour, 1, name)}  ${paint(colour, 36, bars)}  ${stats}`);
    for (const w of worstPoints(s, options.worst ?? 2)) {
      const ids = w.exemplars.map((e) => e.traceId);
      const traces = ids.length
        ? `trace ${ids.slice(0, 2).join(', ')}`
        : paint(colour, 2, 'no exemplar in this bucket');
      lines.push(
        `${''.padEnd(labelWidth)}  ${paint(colour, 33, '▲')} ${clock(w.tMs)} ${formatValue(w.value, unit)}  ${traces}`,
      );
    }
  }
  if (series.length > shown.length)
    lines.push(paint(colour, 2, `… ${series.length - shown.length} more series`));
  return lines.join('\n');
}
