// The lab's dashboards as code, built with Grafana's foundation SDK: the RED dashboard kind provisions
// (labs/grafana/red-from-traces.json, written by `node labs/src/grafana/write-dashboards.ts`; a test keeps
// it current), and the pieces Lab 2's reference answer is built from (labs/lab2/solution/dashboard.ts).
import {
  type DataSourceRef,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { DataqueryBuilder as TempoQuery } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** The Tempo data source provisioned on kind (labs/grafana/datasources.yaml). */
export const tempo: DataSourceRef = { type: 'tempo', uid: 'tempo' };
export const expressions: DataSourceRef = { type: '__expr__', uid: '__expr__' };

export const traceql = (refId: string, query: string) =>
  new TempoQuery().refId(refId).datasource(tempo).queryType('traceql').query(query);

const grid = (x: number, y: number, w = 12, h = 8) => ({ x, y, w, h });

// A legend with each series' peak: which service and route a line is, and how bad it got.
const legend = () =>
  new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Bottom)
    .calcs(['max', 'lastNotNull']);

export function timeseries(id: number, title: string, unit: string, x: number, y: number) {
  return new TimeseriesPanel()
    .id(id)
    .title(title)
    .datasource(tempo)
    .unit(unit)
    .min(0)
    .legend(legend())
    .gridPos(grid(x, y));
}

export function table(id: number, title: string, query: string, x: number, y: number, w = 12) {
  return new TablePanel()
    .id(id)
    .title(title)
    .datasource(tempo)
    .withTarget(traceql('A', query).limit(20).spss(3))
    .gridPos(grid(x, y, w));
}

/** The dashboard kind provisions: RED per service, the slowest database spans and recent errors. */
export function redFromTraces() {
  const byService = 'by (resource.service.name)';
  return new DashboardBuilder('Tracing Dojo — RED from traces')
    .uid('dojo-red')
    .tags(['tracing-dojo'])
    .time({ from: 'now-15m', to: 'now' })
    .refresh('10s')
    .withPanel(
      timeseries(1, 'Requests per second by service', 'reqps', 0, 0).withTarget(
        traceql('A', `{ kind = server } | rate() ${byService}`),
      ),
    )
    .withPanel(
      timeseries(2, 'Errors per second by service', 'reqps', 12, 0).withTarget(
        traceql('A', `{ kind = server && status = error } | rate() ${byService}`),
      ),
    )
    .withPanel(
      timeseries(3, 'p95 duration by service', 's', 0, 8).withTarget(
        traceql('A', `{ kind = server } | quantile_over_time(duration, .95) ${byService}`),
      ),
    )
    .withPanel(
      table(4, 'Slowest PostgreSQL spans', '{ span.db.system = "postgresql" && duration > 100ms }', 12, 8),
    )
    .withPanel(table(5, 'Recent errors', '{ status = error }', 0, 16, 24));
}

/**
 * A built dashboard as the repository's files hold it: two-space JSON with short lists of plain values on
 * one line, as the repository's formatter (biome) writes JSON.
 */
export function dashboardJson(b: { build(): unknown }): string {
  const text = JSON.stringify(b.build(), null, 2).replace(
    /^( *)("[^"]*": )?\[\n((?: *(?:"(?:[^"\\]|\\.)*"|-?[\d.eE+-]+|true|false|null),?\n)+) *\]/gm,
    (whole, indent: string, key: string | undefined, items: string) => {
      const line = `${indent}${key ?? ''}[${items
        .split('\n')
        .filter(Boolean)
        .map((i) => i.trim().replace(/,$/, ''))
        .join(', ')}]`;
      return line.length <= 110 ? line : whole;
    },
  );
  return `${text}\n`;
}

/** File → dashboard model, for the dashboards kind provisions. */
export function dashboardFiles(): Record<string, string> {
  return { 'labs/grafana/red-from-traces.json': dashboardJson(redFromTraces()) };
}
