// Captures the series Lab 2's page draws as panels: TraceQL metrics over the graders' replayed traffic
// (real requests recorded from the lab, 40 minutes per story, the fault in the last 20), queried from the
// lab's store over Tempo's HTTP API exactly as the dashboard grader queries them.
// Run from the repo root: node site/scripts/capture-panels.ts  (writes site/src/data/panels.json)
import { writeFileSync } from 'node:fs';
import { type MetricsSeriesView, startReplayLab, TempoMetricsClient } from '@dojo/graders';

interface PanelData {
  title: string;
  unit: 's' | 'reqps' | 'ratio';
  /** minutes from the fault (negative before it) */
  faultAt?: number;
  threshold?: number;
  series: { name: string; points: [number, number][] }[];
}

const lab = await startReplayLab();
const end = Math.floor(lab.endMs / 1000);
const minutes = (tMs: number) => Math.round((tMs - lab.faultMs) / 60_000);
const name = (s: MetricsSeriesView) =>
  [s.labels['resource.service.name'], s.labels['span.http.route']].filter(Boolean).join(' ');
const round = (v: number) => Number(v.toPrecision(3));
const query = (tenant: string, q: string) =>
  new TempoMetricsClient(lab.tempoUrl, tenant).query({ query: q, start: end - 40 * 60, end, step: '1m' });
const by = 'by (resource.service.name, span.http.route)';

try {
  const rate = await query('healthy', `{ kind = server } | rate() ${by}`);
  const p95 = await query(
    'slow-query',
    `{ kind = server && resource.service.name = "api" } | quantile_over_time(duration, .95) ${by}`,
  );
  const errors = await query('error-cascade', `{ kind = server && status = error } | rate() ${by}`);
  const all = await query('error-cascade', `{ kind = server } | rate() ${by}`);
  const panels: Record<string, PanelData> = {
    rate: {
      title: "Requests per second by route, web's routes (healthy traffic, minutes ago)",
      unit: 'reqps',
      series: rate
        .filter((s) => s.labels['resource.service.name'] === 'web')
        .map((s) => ({
          name: name(s),
          points: s.points
            .filter((p) => p.tMs > lab.startMs + 60_000)
            .map((p) => [minutes(p.tMs) - 20, round(p.value)]),
        })),
    },
    p95: {
      title: 'api p95 latency by route (slow-query begins at 0)',
      unit: 's',
      faultAt: 0,
      threshold: 0.5,
      series: p95.map((s) => ({
        name: name(s),
        points: s.points.filter((p) => p.value > 0).map((p) => [minutes(p.tMs), round(p.value)]),
      })),
    },
    errors: {
      title: 'Error ratio by service and route (error-cascade begins at 0)',
      unit: 'ratio',
      faultAt: 0,
      threshold: 0.05,
      series: errors.map((e) => {
        const total = all.find((a) => name(a) === name(e))!;
        const at = new Map(total.points.map((p) => [p.tMs, p.value]));
        return {
          name: name(e),
          points: e.points
            .filter((p) => (at.get(p.tMs) ?? 0) > 0)
            .map((p) => [minutes(p.tMs), round(p.value / at.get(p.tMs)!)]),
        };
      }),
    },
  };
  const out = new URL('../src/data/panels.json', import.meta.url);
  writeFileSync(
    out,
    `${JSON.stringify({ source: 'graders/data/traffic, replayed by graders/src/replay-lab.ts', panels })}\n`,
  );
  process.stdout.write(`wrote site/src/data/panels.json (${Object.keys(panels).length} panels)\n`);
} finally {
  await lab.close();
}
