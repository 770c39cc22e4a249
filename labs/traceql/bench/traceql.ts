// npm run bench:traceql — how fast the engine answers over 100 k and 1 M stored spans, and what a
// stored span costs in memory. Goals (issue 10): a span filter over 1 M spans ≤ 300 ms on one core,
// a structural query ≤ 1 s, ≤ 1 KB of engine memory per stored span.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as engine from '@dojo/traceql';
import { indexTrace, search } from '@dojo/traceql';
import { syntheticTraces } from './synthetic.ts';

const sizes = process.argv.includes('--quick') ? [10_000, 100_000] : [100_000, 1_000_000];
const END = BigInt(Date.now()) * 1_000_000n;

function timeIt(run: () => unknown, rounds = 3): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

// Exact heap figures need a full collection; --expose-gc may not be on the command line (npm run bench).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

type Metrics = (
  q: string,
  t: engine.Trace[],
  o: { startNs: bigint; endNs: bigint; stepNs: bigint },
) => { status: number };
const metricsQueryRange = (engine as unknown as { metricsQueryRange?: Metrics }).metricsQueryRange;

const rows: string[][] = [];
for (const n of sizes) {
  const before = heapMb();
  const traces = syntheticTraces(n, END);
  for (const t of traces) indexTrace(t);
  const perSpan = ((heapMb() - before) * 1e6) / n;
  const opts = { limit: 100_000, spss: 3 };
  const filter = timeIt(() => search('{ span.http.response.status_code = 503 }', traces, opts));
  const structural = timeIt(() =>
    search(
      '{ resource.service.name = "web" && kind = server } >> { span.db.system = "postgresql" && duration > 1s }',
      traces,
      opts,
    ),
  );
  const aggregate = timeIt(() =>
    search('{ span.db.system = "postgresql" } | avg(duration) > 100ms', traces, opts),
  );
  const metrics = metricsQueryRange
    ? `${timeIt(() => metricsQueryRange('{ resource.service.name = "api" } | quantile_over_time(duration, .95) by (span.http.route)', traces, { startNs: END - 3_600_000_000_000n, endNs: END, stepNs: 15_000_000_000n }), 1).toFixed(0)} ms`
    : 'n/a';
  rows.push([
    n.toLocaleString('en'),
    `${filter.toFixed(0)} ms`,
    `${structural.toFixed(0)} ms`,
    `${aggregate.toFixed(0)} ms`,
    metrics,
    `${perSpan.toFixed(0)} B`,
  ]);
}

const head = ['spans', 'filter', 'structural', 'aggregate', 'metrics 1h/15s', 'memory/span'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log('TraceQL engine (one core, median of 3):');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log('goals: filter over 1 M spans ≤ 300 ms, structural ≤ 1000 ms, memory ≤ 1024 B per span');
