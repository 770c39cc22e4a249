// `dojo query '<traceql>'` prints matching traces as a table, or draws a metrics query's series with the
// exemplar traces of their worst points; `dojo trace <id>` draws one trace as a waterfall.

import { parseArgv, printable, UserError } from '@dojo/course';
import {
  checkTraceql,
  describeSyntaxError,
  formatDuration,
  hasMetricsStage,
  isTraceId,
  renderWaterfall,
  TempoClient,
} from '@dojo/graders';
import { colour, say, table } from '../terminal.ts';

function parse(argv: string[], usage: string) {
  return parseArgv(
    {
      args: argv,
      allowPositionals: true,
      options: {
        since: { type: 'string' },
        limit: { type: 'string' },
        step: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    `usage: ${usage}`,
  );
}

/** "15m", "2h", "30s", "1d" → seconds. */
export function parseSince(raw: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(raw.trim());
  if (!m || Number(m[1]) === 0)
    throw new UserError(`--since must look like 30s, 15m, 2h or 1d, got "${raw}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export async function queryCommand(argv: string[]): Promise<number> {
  const usage = "dojo query '<traceql>' [--since 15m] [--limit 20] [--step 30s] [--json]";
  const { values, positionals } = parse(argv, usage);
  const query = positionals.join(' ');
  if (!query) throw new UserError(`which query? usage: ${usage}`);
  const syntax = checkTraceql(query);
  if (!syntax.ok) throw new UserError(`invalid TraceQL, ${describeSyntaxError(syntax)}`);
  if (hasMetricsStage(query)) {
    const { metricsQuery } = await import('./metrics-query.ts');
    return metricsQuery(query, values);
  }
  if (values.step !== undefined)
    throw new UserError('--step is for metrics queries (… | rate(), | quantile_over_time(…))');
  const limit = values.limit ? Number(values.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UserError(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
  const end = Math.ceil(Date.now() / 1000);
  const start = end - parseSince(values.since ?? '15m');
  const tempo = new TempoClient();
  // The newest N, newest first: without the hint Tempo returns whichever N it finds first.
  const traces = await tempo.search(query, { start, end, limit, spss: 10, mostRecent: true });
  if (values.json) {
    say(JSON.stringify(traces, null, 2));
    return 0;
  }
  if (traces.length === 0) {
    say(colour.dim(`no traces match in the last ${values.since ?? '15m'} (Tempo ${tempo.baseUrl})`));
    return 0;
  }
  say(
    table(
      ['trace id', 'root service', 'root span', 'started', 'duration', 'matched'],
      traces.map((t) => [
        t.traceId,
        printable(t.rootServiceName),
        printable(t.rootTraceName),
        new Date(t.startMs).toISOString().slice(11, 23),
        formatDuration(t.durationMs),
        String(t.matched),
      ]),
    ),
  );
  say(
    colour.dim(
      `${traces.length} trace${traces.length > 1 ? 's' : ''} · draw one with: npx dojo trace ${traces[0]!.traceId}`,
    ),
  );
  return 0;
}

export async function traceCommand(argv: string[]): Promise<number> {
  const usage = 'dojo trace <trace-id> [--json]';
  const { values, positionals } = parse(argv, usage);
  const id = positionals[0];
  if (!id) throw new UserError(`which trace? usage: ${usage}`);
  if (positionals.length > 1) throw new UserError(`one trace id at a time; usage: ${usage}`);
  if (!isTraceId(id)) throw new UserError(`"${id}" is not a trace id (1 to 32 hexadecimal digits)`);
  const view = await new TempoClient().trace(id);
  if (!view) throw new UserError(`trace ${id} is not in Tempo (made-up, mistyped, or emptied by a reset?)`);
  if (values.json) say(JSON.stringify(view, null, 2));
  else {
    say(
      renderWaterfall(view, {
        width: process.stdout.columns ?? 110,
        colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      }),
    );
  }
  return 0;
}
