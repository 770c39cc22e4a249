// Metrics cases of the oracle: range and instant answers compared with Tempo's.
import type { Trace } from '@dojo/traceql';
import type { Oracle, OracleQuery } from './oracle.ts';
import type { CaseResult } from './run-oracle.ts';

export function runMetricsCase(q: OracleQuery, _traces: Trace[], _oracle: Oracle): CaseResult {
  return { query: q, ok: false, difference: 'metrics not implemented yet' };
}
