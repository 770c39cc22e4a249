// Runs every oracle query through the engine and compares with what Tempo 3.0.3 answered.
// Used by the conformance test and, with --show, to print one query's difference while developing.
import { search } from '@dojo/traceql';
import { loadFixtureTraces, loadOracle, normalizeSearch, type OracleQuery, sameJson } from './oracle.ts';
import { runMetricsCase } from './run-metrics.ts';

export const BASE_NS = 1_764_000_000n * 1_000_000_000n;

export interface CaseResult {
  query: OracleQuery;
  ok: boolean;
  difference?: string;
  ours?: unknown;
}

export function runOracle(): CaseResult[] {
  const oracle = loadOracle();
  const traces = [...loadFixtureTraces(BASE_NS).values()];
  const w = oracle.window;
  const s = BigInt(w.searchStartOffsetS) * 1_000_000_000n + BASE_NS;
  const e = BigInt(w.searchEndOffsetS) * 1_000_000_000n + BASE_NS;
  return oracle.queries.map((q) => {
    if (q.api === 'metrics') return runMetricsCase(q, traces, oracle);
    const spss = q.params.spss ?? w.defaults.spss;
    const limit = q.params.limit ?? w.defaults.limit;
    const res = search(q.q, traces, { startNs: s, endNs: e, spss, limit });
    const expected = q.result as Record<string, unknown>;
    if (res.status !== 200) {
      const ok = expected.status === res.status;
      return {
        query: q,
        ok,
        ours: res,
        ...(ok ? {} : { difference: `status ${res.status} (${res.error}) ≠ ${String(expected.status)}` }),
      };
    }
    if (expected.status !== 200)
      return { query: q, ok: false, ours: res.body, difference: `status 200 ≠ ${String(expected.status)}` };
    const ours = normalizeSearch(res.body as unknown as Record<string, unknown>, BASE_NS);
    if ('unlimitedTraceCount' in expected) {
      const ok = ours.traceCount === expected.traceCount;
      return {
        query: q,
        ok,
        ours,
        ...(ok
          ? {}
          : { difference: `traceCount ${String(ours.traceCount)} ≠ ${String(expected.traceCount)}` }),
      };
    }
    const difference = sameJson(ours, expected);
    return { query: q, ok: difference === undefined, ours, ...(difference ? { difference } : {}) };
  });
}
