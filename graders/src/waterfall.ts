// Draws a trace as a waterfall in the terminal: one row per span in tree order, a duration bar on a
// shared time axis, the service, and an error mark — so a learner without Grafana can still read a trace.
import { printable } from '@dojo/course';
import { type Span, type TraceView, treeOrder } from './trace-model.ts';

export interface WaterfallOptions {
  /** total width in columns (default: the terminal's, else 100) */
  width?: number;
  colour?: boolean;
  /** at most this many rows; the rest are summarised in one line */
  maxRows?: number;
}

const palette = [36, 35, 33, 34, 32, 96, 95];
const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Span names and services come from the traced app: shown escaped, cut or padded to the column. */
function fit(raw: string, width: number): string {
  const text = printable(raw);
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The bar of one span: its offset and length on an axis of `cells` columns. */
export function barCells(span: Span, view: TraceView, cells: number): { offset: number; length: number } {
  const total = view.durationMs || 1;
  const offset = Math.min(cells - 1, Math.floor(((span.startMs - view.startMs) / total) * cells));
  const length = Math.max(1, Math.min(cells - offset, Math.round((span.durationMs / total) * cells)));
  return { offset, length };
}

export function renderWaterfall(view: TraceView, options: WaterfallOptions = {}): string {
  const colour = options.colour ?? false;
  const width = Math.max(60, options.width ?? 100);
  const rows = treeOrder(view);
  const services = [...new Set(view.spans.map((s) => s.service))];
  const serviceWidth = Math.min(10, Math.max(7, ...services.map((s) => s.length)));
  const nameWidth = Math.min(42, Math.max(20, Math.floor(width * 0.34)));
  const durationWidth = 9;
  const cells = width - serviceWidth - nameWidth - durationWidth - 6;
  const out: string[] = [];
  const errors = view.spans.filter((s) => s.status === 'error').length;
  out.push(
    `Trace ${view.traceId} · ${view.spans.length} spans · ${services.length} service${services.length === 1 ? '' : 's'} · ${formatDuration(view.durationMs)}` +
      (errors ? ` · ${paint(colour, 31, `${errors} error${errors > 1 ? 's' : ''}`)}` : '') +
      (view.orphans.length
        ? ` · ${paint(colour, 33, `${view.orphans.length} orphan${view.orphans.length > 1 ? 's' : ''}`)}`
        : ''),
  );
  const axisMid = formatDuration(view.durationMs / 2);
  const axisEnd = formatDuration(view.durationMs);
  const axis = `0${' '.repeat(Math.max(1, Math.floor(cells / 2) - 1 - Math.floor(axisMid.length / 2)))}${axisMid}`;
  out.push(
    `${'service'.padEnd(serviceWidth)}  ${'span'.padEnd(nameWidth)}  ${axis.padEnd(cells - axisEnd.length)}${axisEnd}`,
  );
  const limit = options.maxRows ?? 60;
  for (const { span, depth } of rows.slice(0, limit)) {
    const orphan = span.parentSpanId !== '' && view.orphans.includes(span);
    const prefix = depth === 0 ? (orphan ? '? ' : '') : `${'  '.repeat(depth - 1)}└ `;
    const { offset, length } = barCells(span, view, cells);
    const hue = palette[services.indexOf(span.service) % palette.length]!;
    const bar = paint(colour, span.status === 'error' ? 31 : hue, '█'.repeat(length));
    const mark = span.status === 'error' ? paint(colour, 31, ' ✖') : '';
    out.push(
      `${paint(colour, hue, fit(span.service, serviceWidth))}  ${fit(prefix + span.name, nameWidth)}  ` +
        `${' '.repeat(offset)}${bar}${' '.repeat(cells - offset - length)} ${formatDuration(span.durationMs).padStart(durationWidth - 1)}${mark}`,
    );
  }
  if (rows.length > limit) out.push(`… ${rows.length - limit} more spans (use --json for all of them)`);
  if (view.orphans.length) {
    out.push(
      paint(colour, 33, '? marks a span whose parent is not in this trace: context was lost on the way in.'),
    );
  }
  return out.join('\n');
}
