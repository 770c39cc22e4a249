// `dojo query '{ … } | rate()'`: a TraceQL metrics query over the last --since, drawn as one sparkline per
// series with the exemplar trace ids of its worst points (open one with `dojo trace <id>`).

import { UserError } from '@dojo/course';
import { metricsUnit, renderMetrics, TempoMetricsClient, worstExemplar } from '@dojo/graders';
import { colour, say } from '../terminal.ts';
import { parseSince } from './traces.ts';

export async function metricsQuery(
  query: string,
  values: { since?: string; limit?: string; step?: string; json?: boolean },
): Promise<number> {
  const since = values.since ?? '15m';
  const end = Math.floor(Date.now() / 1000);
  const start = end - parseSince(since);
  if (values.step !== undefined && !/^\d+(ms|s|m|h)$/.test(values.step))
    throw new UserError(`--step must look like 15s, 1m or 5m, got "${values.step}"`);
  const limit = values.limit ? Number(values.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UserError(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
  const client = new TempoMetricsClient();
  const series = await client.query({ query, start, end, ...(values.step ? { step: values.step } : {}) });
  if (values.json) {
    say(JSON.stringify(series, null, 2));
    return 0;
  }
  if (series.length === 0) {
    say(colour.dim(`no spans match in the last ${since} (Tempo ${client.baseUrl})`));
    return 0;
  }
  const on = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  say(
    renderMetrics(series, {
      width: process.stdout.columns ?? 110,
      colour: on,
      unit: metricsUnit(query),
      maxSeries: limit,
    }),
  );
  const example = worstExemplar(series);
  say(
    colour.dim(
      `${series.length} series over the last ${since} · ▲ worst points, with the traces behind them${example ? ` · draw the worst with: npx dojo trace ${example}` : ''}`,
    ),
  );
  return 0;
}
