// The lab's dashboards as code, built with Grafana's foundation SDK: the RED dashboard kind provisions
// (labs/grafana/red-from-traces.json) and Lab 2's reference answer (labs/lab2/solution/dashboard.json).
// Both JSON files are written from here (`node labs/src/grafana/write-dashboards.ts`); a test keeps them current.
import {
  type DataSourceRef,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TypeMathBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { DataqueryBuilder as TempoQuery } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** The Tempo data source provisioned on kind (labs/grafana/datasources.yaml). */
export const tempo: DataSourceRef = { type: 'tempo', uid: 'tempo' };
const expressions: DataSourceRef = { type: '__expr__', uid: '__expr__' };

const traceql = (refId: string, query: string) =>
  new TempoQuery().refId(refId).datasource(tempo).queryType('traceql').query(query);

const grid = (x: number, y: number, w = 12, h = 8) => ({ x, y, w, h });

// A legend with each series' peak: which service and route a line is, and how bad it got.
const legend = () =>
  new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Bottom)
    .calcs(['max', 'lastNotNull']);

function timeseries(id: number, title: string, unit: string, x: number, y: number) {
  return new TimeseriesPanel()
    .id(id)
    .title(title)
    .datasource(tempo)
    .unit(unit)
    .min(0)
    .legend(legend())
    .gridPos(grid(x, y));
}

function table(id: number, title: string, query: string, x: number, y: number, w = 12) {
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

/** Lab 2's reference: RED per service and route, and a table of the requests that fail or are slow. */
export function lab2Reference() {
  const by = 'by (resource.service.name, span.http.route)';
  return new DashboardBuilder('Lab 2 — RED per route, from traces')
    .uid('dojo-lab2-red')
    .tags(['tracing-dojo', 'lab-2'])
    .time({ from: 'now-15m', to: 'now' })
    .refresh('30s')
    .withPanel(
      timeseries(1, 'Requests per second by service and route', 'reqps', 0, 0).withTarget(
        traceql('A', `{ kind = server } | rate() ${by}`),
      ),
    )
    .withPanel(
      // One-minute steps: a share of failures needs a few requests per point to mean anything.
      timeseries(2, 'Error ratio by service and route', 'percentunit', 12, 0)
        .max(1)
        .withTarget(traceql('A', `{ kind = server && status = error } | rate() ${by}`).step('1m').hide(true))
        .withTarget(traceql('B', `{ kind = server } | rate() ${by}`).step('1m').hide(true))
        .withTarget(new TypeMathBuilder().refId('C').datasource(expressions).expression('$A / $B')),
    )
    .withPanel(
      timeseries(3, 'p95 latency by service and route', 's', 0, 8).withTarget(
        traceql('A', `{ kind = server } | quantile_over_time(duration, .95) ${by}`).step('1m'),
      ),
    )
    .withPanel(
      table(
        4,
        'Failing or slow requests',
        '{ kind = server && (status = error || duration > 500ms) }',
        12,
        8,
      ),
    );
}

/** File → dashboard model, as the files in the repository hold them. */
export function dashboardFiles(): Record<string, string> {
  const json = (b: { build(): unknown }) => `${JSON.stringify(b.build(), null, 2)}\n`;
  return {
    'labs/grafana/red-from-traces.json': json(redFromTraces()),
    'labs/lab2/solution/dashboard.json': json(lab2Reference()),
  };
}
