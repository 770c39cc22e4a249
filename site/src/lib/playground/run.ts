// Runs a query on a dataset the way the lab's store answers it: a search (traces and their span sets)
// or, for a metrics query, a range query over the whole recording. The browser tests run this too.
import {
  describeError,
  type MetricsStage,
  metricsQueryRange,
  parseTraceQL,
  type QueryRangeBody,
  search,
  type TraceQLError,
  type TraceSearchMetadata,
} from '@dojo/traceql';
import type { Dataset } from './dataset.ts';

/** Every match (a recording holds a few hundred traces), with up to 10 spans drawn per span set. */
const SEARCH_OPTIONS = { limit: 1000, spss: 10 } as const;

export type Outcome =
  | { kind: 'invalid'; error: TraceQLError; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'search'; traces: TraceSearchMetadata[] }
  | { kind: 'metrics'; body: QueryRangeBody; stepNs: bigint; unit: string };

/** What a metrics answer counts, for the chart's axis. */
function unitOf(m: MetricsStage, stepNs: bigint): string {
  if (m.fn === 'rate') return 'spans per second';
  if (m.fn === 'count_over_time') return `spans per ${Number(stepNs / 1_000_000_000n)} s`;
  if (m.attr?.type === 'intrinsic' && /duration/i.test(m.attr.name)) return 'seconds';
  return '';
}

/** About 30 points over the recording, in whole seconds. */
export function metricsStep(dataset: Dataset): bigint {
  const seconds = Number((dataset.endNs - dataset.startNs) / 1_000_000_000n);
  return BigInt(Math.max(1, Math.ceil(seconds / 30))) * 1_000_000_000n;
}

export function runQuery(text: string, dataset: Dataset): Outcome {
  const parsed = parseTraceQL(text);
  if (!parsed.ok)
    return {
      kind: 'invalid',
      error: parsed.error,
      message: `Invalid TraceQL, ${describeError(parsed.error)}`,
    };
  if (parsed.query.metrics) {
    const stepNs = metricsStep(dataset);
    const r = metricsQueryRange(parsed.query, dataset.traces, {
      startNs: dataset.startNs,
      endNs: dataset.endNs,
      stepNs,
    });
    return r.status === 200
      ? { kind: 'metrics', body: r.body, stepNs, unit: unitOf(parsed.query.metrics, stepNs) }
      : failure(r);
  }
  const r = search(parsed.query, dataset.traces, SEARCH_OPTIONS);
  if (r.status !== 200) return failure(r);
  // Newest first, as Grafana lists them.
  const traces = [...r.body.traces].sort((a, b) =>
    BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? 1 : -1,
  );
  return { kind: 'search', traces };
}

function failure(r: { error: string; detail?: TraceQLError }): Outcome {
  return r.detail
    ? { kind: 'invalid', error: r.detail, message: `Invalid TraceQL, ${describeError(r.detail)}` }
    : { kind: 'failed', message: r.error };
}
