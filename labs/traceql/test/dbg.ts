import { search, parseTraceQL } from '@dojo/traceql';
import { loadFixtureTraces } from '/work/main/labs/traceql/test/support/oracle.ts';
const traces = [...loadFixtureTraces(0n).values()];
const q = process.argv[2]!;
console.log(JSON.stringify(parseTraceQL(q), (k, v) => typeof v === 'bigint' ? v.toString() : v).slice(0, 1500));
const r = search(q, traces, { limit: 1000, spss: 100 });
console.log(JSON.stringify(r).slice(0, 1500));
