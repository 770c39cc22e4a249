// Lab 2's reference dashboard as code: RED per service and route from TraceQL metrics, and a table of the
// requests that fail or are slow. `node labs/lab2/solution/dashboard.ts` writes dashboard.json beside it.
import { writeFileSync } from 'node:fs';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TypeMathBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { dashboardJson, expressions, table, timeseries, traceql } from '../../src/grafana/dashboards.ts';

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

if (import.meta.main) {
  writeFileSync(new URL('dashboard.json', import.meta.url), dashboardJson(lab2Reference()));
  process.stdout.write('wrote labs/lab2/solution/dashboard.json\n');
}
