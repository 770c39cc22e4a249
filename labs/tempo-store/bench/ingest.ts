// Benchmark: OTLP/HTTP protobuf ingest (spans/s), then how soon a pushed trace is visible by id and by
// search (p50/p95), and the store's memory per stored span. Goals: ≥ 30 k spans/s, p95 ≤ 100 ms.
// Starts its own store as a child process, or measures a running one (the store or a real Tempo):
//   node labs/tempo-store/bench/ingest.ts [--spans 200000] [--batch 500] [--concurrency 4] [--probes 50]
//        [--tempo http://localhost:3200 --otlp http://localhost:4318] [--json]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeTraceRequest } from '@dojo/tempo-store';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    probes: { type: 'string', default: '50' },
    tempo: { type: 'string' },
    otlp: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const fail = (message: string): never => {
  process.stderr.write(`bench:ingest: ${message}\n`);
  process.exit(2);
};
const whole = (name: 'spans' | 'batch' | 'concurrency' | 'probes'): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number ≥ 1, got "${values[name]}"`);
  return n;
};
const totalSpans = whole('spans');
const batch = whole('batch');
const concurrency = whole('concurrency');
const probes = whole('probes');
if (Boolean(values.tempo) !== Boolean(values.otlp)) fail('give both --tempo and --otlp, or neither');

const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

/** A lab-like trace of 10 spans: web SERVER and CLIENT, api SERVER, 5 PostgreSQL CLIENT, 2 INTERNAL. */
function traceSpans(startMs: number) {
  const traceId = randomBytes(16);
  const ids = Array.from({ length: 10 }, () => randomBytes(8));
  const span = (
    i: number,
    parent: number,
    name: string,
    kind: number,
    offsetMs: number,
    durMs: number,
    attrs: object[],
  ) => ({
    traceId,
    spanId: ids[i],
    ...(parent >= 0 ? { parentSpanId: ids[parent] } : {}),
    name,
    kind,
    startTimeUnixNano: ns(startMs + offsetMs),
    endTimeUnixNano: ns(startMs + offsetMs + durMs),
    attributes: attrs,
    status: {},
  });
  const web = [
    span(0, -1, 'GET /products', 2, 0, 40, [
      str('http.request.method', 'GET'),
      str('http.route', '/products'),
      int('http.response.status_code', 200),
      str('url.path', '/products'),
    ]),
    span(1, 0, 'GET', 3, 2, 35, [
      str('http.request.method', 'GET'),
      str('server.address', 'api'),
      int('server.port', 8081),
    ]),
  ];
  const api = [
    span(2, 1, 'GET /api/products', 2, 3, 33, [
      str('http.request.method', 'GET'),
      str('http.route', '/api/products'),
      int('http.response.status_code', 200),
    ]),
    ...[0, 1, 2, 3, 4].map((k) =>
      span(3 + k, 2, 'SELECT shop.products', 3, 4 + k * 5, 4, [
        str('db.system', 'postgresql'),
        str('db.statement', `SELECT * FROM products WHERE id = $1 /* ${k} */`),
        str('db.operation.name', 'SELECT'),
      ]),
    ),
    span(8, 2, 'serialize', 1, 30, 2, [str('app.format', 'json')]),
    span(9, 2, 'cache lookup', 1, 3, 1, [
      str('cache.key', 'products:list'),
      { key: 'cache.hit', value: { boolValue: false } },
    ]),
  ];
  return { traceId: traceId.toString('hex'), web, api };
}

function resourceSpans(service: string, spans: object[]) {
  return {
    resource: {
      attributes: [
        str('service.name', service),
        str('service.namespace', 'shop'),
        str('host.name', `${service}-1`),
      ],
    },
    scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.1' }, spans }],
  };
}

/** One OTLP request of `spanCount` spans (whole traces), encoded, and the id of its first trace. */
function request(spanCount: number, startMs: number): { body: Uint8Array; traceId: string } {
  const web: object[] = [];
  const api: object[] = [];
  let traceId = '';
  for (let i = 0; i < spanCount / 10; i++) {
    const t = traceSpans(startMs + i);
    traceId ||= t.traceId;
    web.push(...t.web);
    api.push(...t.api);
  }
  return {
    body: encodeTraceRequest({ resourceSpans: [resourceSpans('web', web), resourceSpans('api', api)] }),
    traceId,
  };
}

async function startOwnStore(): Promise<{ tempo: string; otlp: string; stop: () => void }> {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [main, '--http-port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--max-bytes', '2GiB'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  const m = /^tempo-store ready (\{.*\})/.exec(out);
  if (!m) fail(`the store did not start: ${out.trim()}`);
  const urls = JSON.parse(m![1]!) as { tempo: string; otlpHttp: string };
  return { tempo: urls.tempo, otlp: urls.otlpHttp, stop: () => child.kill('SIGTERM') };
}

async function post(otlp: string, body: Uint8Array): Promise<void> {
  const res = await fetch(`${otlp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) fail(`the store answered ${res.status} to a push`);
}

async function metrics(tempo: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  try {
    const text = await (await fetch(`${tempo}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
      if (m) out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
    }
  } catch {}
  return out;
}

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

async function timeUntil(check: () => Promise<boolean>, since: number, timeoutMs = 30_000): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    if (await check()) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 5));
  }
  return Number.NaN;
}

const own = values.tempo ? undefined : await startOwnStore();
const tempo = values.tempo ?? own!.tempo;
const otlp = values.otlp ?? own!.otlp;
try {
  const nowMs = Date.now() - 60_000;
  const requests = Array.from(
    { length: Math.ceil(totalSpans / batch) },
    (_, i) => request(batch, nowMs + i).body,
  );
  const before = await metrics(tempo);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) await post(otlp, requests[next++]!);
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const sent = requests.length * batch;
  const after = await metrics(tempo);

  const byId: number[] = [];
  const bySearch: number[] = [];
  for (let i = 0; i < probes; i++) {
    const { body, traceId: id } = request(10, Date.now() - 50);
    const t0 = performance.now();
    await post(otlp, body);
    byId.push(await timeUntil(async () => (await fetch(`${tempo}/api/traces/${id}`)).status === 200, t0));
    const nowS = Math.floor(Date.now() / 1000);
    const q = encodeURIComponent(`{ trace:id = "${id}" }`);
    bySearch.push(
      await timeUntil(async () => {
        const res = await fetch(`${tempo}/api/search?q=${q}&start=${nowS - 300}&end=${nowS + 60}`);
        return res.ok && ((await res.json()) as { traces?: unknown[] }).traces?.length === 1;
      }, t0),
    );
  }
  byId.sort((a, b) => a - b);
  bySearch.sort((a, b) => a - b);

  const stored = (after.get('tempo_store_live_spans') ?? 0) - (before.get('tempo_store_live_spans') ?? 0);
  const heap =
    (after.get('nodejs_heap_size_used_bytes') ?? 0) - (before.get('nodejs_heap_size_used_bytes') ?? 0);
  const rss =
    (after.get('process_resident_memory_bytes') ?? 0) - (before.get('process_resident_memory_bytes') ?? 0);
  const figures = {
    spans: sent,
    seconds: Number(elapsedS.toFixed(2)),
    spansPerSecond: Math.round(sent / elapsedS),
    byIdP50Ms: Number(percentile(byId, 50).toFixed(1)),
    byIdP95Ms: Number(percentile(byId, 95).toFixed(1)),
    searchP50Ms: Number(percentile(bySearch, 50).toFixed(1)),
    searchP95Ms: Number(percentile(bySearch, 95).toFixed(1)),
    heapBytesPerSpan: stored > 0 ? Math.round(heap / stored) : null,
    rssBytesPerSpan: stored > 0 ? Math.round(rss / stored) : null,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    const f = figures;
    process.stdout.write(
      `ingest OTLP/HTTP protobuf: ${f.spansPerSecond} spans/s (${f.spans} spans in ${f.seconds} s, ` +
        `batches of ${batch}, ${concurrency} in flight; goal ≥ 30000)\n` +
        `visibility by id: p50 ${f.byIdP50Ms} ms, p95 ${f.byIdP95Ms} ms (${probes} traces; goal p95 ≤ 100 ms)\n` +
        `visibility by search: p50 ${f.searchP50Ms} ms, p95 ${f.searchP95Ms} ms\n` +
        (stored > 0
          ? `memory per stored span: heap ≈ ${f.heapBytesPerSpan} B, RSS ≈ ${f.rssBytesPerSpan} B (${stored} spans; no forced GC)\n`
          : 'memory per stored span: not measured (the store reports no tempo_store_live_spans)\n'),
    );
  }
} finally {
  own?.stop();
}
