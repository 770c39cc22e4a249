// Records each scenario's traffic from a real local lab (the load generator's shoppers plus a few known
// requests) out of the lab's own store, and writes it as OTLP/JSON for the site's TraceQL playground.
// Run: DOJO_PORT_OFFSET=900 node site/scripts/capture-datasets.ts [scenario …]   (from the repo root;
// starts and stops its own lab in a temporary state dir; with scenario ids, only those are recorded again)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, portsFor } from '@dojo/course';
import { freeOffset, runDojo } from '@dojo/labs/testing';
import { type Batch, toOtlpDataset } from './otlp-dataset.ts';

const seconds = Number(process.env.CAPTURE_SECONDS ?? 40);
/** Spans per dataset: enough traffic to query, small enough to fetch on a phone (~50 KB compressed). */
const spanBudget = Number(process.env.CAPTURE_SPANS ?? 1200);
const out = new URL('../src/data/datasets/', import.meta.url);
mkdirSync(out, { recursive: true });

const stateDir = mkdtempSync(join(tmpdir(), 'dojo-capture-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DOJO_PORT_OFFSET: process.env.DOJO_PORT_OFFSET ?? String(await freeOffset()),
  DOJO_STATE_DIR: stateDir,
  NO_COLOR: '1',
};
const ports = portsFor(env);
const web = `http://127.0.0.1:${ports.web}`;
const tempo = `http://127.0.0.1:${ports.tempoHttp}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Requests the site's examples name (customer 42, a checkout, a search), sent as a shopper would. */
async function knownRequests(): Promise<void> {
  const form = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-customer-id': '42' },
    body,
  });
  for (const [path, init] of [
    ['/checkout', form('productId=17&quantity=2&customerId=42')],
    ['/products/3', { headers: { 'x-customer-id': '42' } }],
    ['/search?q=zipper', { headers: { 'x-customer-id': '42' } }],
  ] as const) {
    const res = await fetch(`${web}${path}`, init);
    await res.arrayBuffer();
  }
}

async function json<T>(path: string): Promise<T> {
  const res = await fetch(`${tempo}${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Found {
  traceID: string;
  rootServiceName: string;
  startTimeUnixNano: string;
  serviceStats: Record<string, { spanCount: number }>;
}

/**
 * The traces the store holds that started in [from, to] (s), oldest first, except the delivery
 * pipeline's, up to the span budget: a contiguous stretch of traffic, beginning with the known requests.
 */
async function recorded(from: number, to: number): Promise<string[]> {
  const q = encodeURIComponent('{ }');
  const body = await json<{ traces?: Found[] }>(
    `/api/search?q=${q}&start=${Math.floor(from)}&end=${Math.ceil(to)}&limit=1000&spss=1`,
  );
  const found = (body.traces ?? [])
    .filter((t) => !['jenkins', 'argocd'].includes(t.rootServiceName))
    .filter((t) => Number(BigInt(t.startTimeUnixNano) / 1_000_000n) / 1000 >= from)
    .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
  const ids: string[] = [];
  let spans = 0;
  for (const t of found) {
    const n = Object.values(t.serviceStats).reduce((sum, s) => sum + s.spanCount, 0);
    if (spans + n > spanBudget && ids.length > 0) break;
    spans += n;
    ids.push(t.traceID);
  }
  return ids;
}

const only = process.argv.slice(2);
const scenarios = loadCatalog().scenarios.map((s) => s.id);
for (const id of only)
  if (!scenarios.includes(id)) throw new Error(`unknown scenario ${id}; known: ${scenarios.join(', ')}`);
try {
  const up = await runDojo(['lab', 'up', '--mode', 'local', '--rps', '3'], env);
  if (up.code !== 0) throw new Error(up.stderr);
  for (const scenario of scenarios) {
    if (only.length && !only.includes(scenario)) continue;
    // reset: switch and empty the store, so the recording holds this scenario's traffic only.
    const set = await runDojo(['scenario', 'reset', scenario], env);
    if (set.code !== 0) throw new Error(set.stderr);
    const from = Date.now() / 1000 + 1;
    await new Promise((r) => setTimeout(r, 1500));
    await knownRequests();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const to = Date.now() / 1000;
    // Let the last requests and their background jobs finish and become searchable.
    await new Promise((r) => setTimeout(r, 8000));
    const ids = await recorded(from, to - 5);
    const batches: Batch[] = [];
    for (const traceId of ids)
      batches.push(...(await json<{ batches: Batch[] }>(`/api/traces/${traceId}`)).batches);
    const dataset = toOtlpDataset(batches);
    writeFileSync(new URL(`${scenario}.json`, out), `${JSON.stringify(dataset)}\n`);
    const spans = dataset.resourceSpans.reduce(
      (n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0),
      0,
    );
    say(`${scenario}: ${ids.length} traces, ${spans} spans`);
  }
} finally {
  await runDojo(['lab', 'down'], env, 60_000);
  rmSync(stateDir, { recursive: true, force: true });
}
