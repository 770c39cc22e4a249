// Benchmark: a class against one Tempo. N simulated learners, each with its own web and api services
// (service.name learner-NN-web / learner-NN-api, their own SDK, batch processor and OTLP exporter),
// push shop-shaped traces (web SERVER → api SERVER → two PostgreSQL CLIENT spans) at a fixed rate, while
// an instructor's TraceQL search runs every half second. Reports spans/s pushed, export failures, the
// share of a random sample of pushed traces found complete by id, and the search p95, for each N.
// Needs the lab's Tempo (`make lab-up`); `--dry-run` pushes to a local OTLP receiver instead, to
// measure the generator alone.
// Run: npm run bench:class -- --learners 1,10,30 --seconds 20
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { portsFor, tempoUrl } from '@dojo/course';
import { OtlpSink } from '@dojo/sample-app/testing';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { percentile, seconds } from './stats.ts';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '1,10,30' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '5' }, // traces per second per learner
    sample: { type: 'string', default: '200' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const classSizes = values.learners.split(',').map(Number);
const durationMs = Number(values.seconds) * 1000;
const rate = Number(values.rate);
if (classSizes.some((n) => !Number.isInteger(n) || n < 1) || !(durationMs > 0) || !(rate > 0)) {
  process.stderr.write('bench:class: --learners takes whole numbers (1,10,30); --seconds and --rate > 0\n');
  process.exit(2);
}
const SPANS_PER_TRACE = 4;
const dry = values['dry-run'];
const sink = dry ? await new OtlpSink().start() : undefined;
const tempo = tempoUrl();
const otlp =
  sink?.url ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? `http://127.0.0.1:${portsFor().otlpHttp}`;

if (!dry) {
  const ready = await fetch(`${tempo}/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!ready) {
    process.stderr.write(
      `bench:class: Tempo does not answer at ${tempo}/ready; start the lab with \`make lab-up\`\n`,
    );
    process.exit(2);
  }
}

/** Counts what the exporter really delivered, so "pushed" means accepted by the receiver. */
class CountingExporter implements SpanExporter {
  delivered = 0;
  failed = 0;
  private readonly inner: SpanExporter;
  constructor(inner: SpanExporter) {
    this.inner = inner;
  }
  export(spans: Parameters<SpanExporter['export']>[0], done: Parameters<SpanExporter['export']>[1]) {
    this.inner.export(spans, (result) => {
      if (result.code === 0) this.delivered += spans.length;
      else this.failed += spans.length;
      done(result);
    });
  }
  shutdown() {
    return this.inner.shutdown();
  }
  forceFlush() {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function learnerService(run: string, learner: number, tier: 'web' | 'api') {
  const exporter = new CountingExporter(
    dry ? new JsonExporter({ url: `${otlp}/v1/traces` }) : new ProtobufExporter({ url: `${otlp}/v1/traces` }),
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': `learner-${String(learner).padStart(2, '0')}-${tier}`,
      'bench.run': run,
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 500, maxQueueSize: 8192 })],
  });
  return { exporter, provider, tracer: provider.getTracer('dojo-class-bench') };
}

/** One checkout-shaped trace with made-up but plausible timings; returns its trace id. */
function pushTrace(web: ReturnType<typeof learnerService>, api: ReturnType<typeof learnerService>) {
  const now = Date.now();
  const root = web.tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: now - 40 });
  const rootCtx = trace.setSpan(context.active(), root);
  const server = api.tracer.startSpan(
    'POST /api/checkout',
    { kind: SpanKind.SERVER, startTime: now - 35 },
    rootCtx,
  );
  const serverCtx = trace.setSpan(rootCtx, server);
  for (const [i, op] of ['SELECT', 'INSERT'].entries()) {
    api.tracer
      .startSpan(
        `pg.query:${op} shop`,
        {
          kind: SpanKind.CLIENT,
          startTime: now - 30 + i * 10,
          attributes: { 'db.system': 'postgresql', 'db.statement': `${op} … WHERE id = $1` },
        },
        serverCtx,
      )
      .end(now - 22 + i * 10);
  }
  server.end(now - 5);
  root.end(now);
  return root.spanContext().traceId;
}

async function searchLatency(run: string): Promise<number> {
  const q = encodeURIComponent(
    `{ resource.bench.run = "${run}" && span.db.system = "postgresql" } | count() > 1`,
  );
  const since = Math.floor(Date.now() / 1000) - 120;
  const started = performance.now();
  const res = await fetch(`${tempo}/api/search?q=${q}&limit=20&start=${since}&end=${since + 240}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`Tempo search answered HTTP ${res.status}`);
  return performance.now() - started;
}

async function spansFoundById(traceId: string): Promise<number> {
  if (sink) return sink.trace(traceId).length;
  const res = await fetch(`${tempo}/api/traces/${traceId}`);
  if (res.status === 404) return 0;
  const body = (await res.json()) as { batches?: { scopeSpans?: { spans?: unknown[] }[] }[] };
  return (body.batches ?? []).flatMap((b) => b.scopeSpans ?? []).flatMap((s) => s.spans ?? []).length;
}

interface Row {
  learners: number;
  spansPerSecond: number;
  failed: number;
  complete: number;
  sampled: number;
  searchP95: number;
}
const rows: Row[] = [];
process.stdout.write(
  `Class scale: ${dry ? `dry run into a local OTLP receiver` : `Tempo at ${tempo}`}, ${rate} traces/s per learner for ${values.seconds} s\n`,
);
for (const n of classSizes) {
  const run = randomBytes(4).toString('hex');
  const learners = Array.from({ length: n }, (_, i) => ({
    web: learnerService(run, i + 1, 'web'),
    api: learnerService(run, i + 1, 'api'),
  }));
  const traceIds: string[] = [];
  const searches: number[] = [];
  const started = Date.now();
  let searching = true;
  const instructor = (async () => {
    while (searching && !dry) {
      searches.push(await searchLatency(run));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  // Paced in 100 ms ticks so each learner sends rate/s, spread over the second.
  for (let tick = 0; Date.now() - started < durationMs; tick++) {
    const due = Math.floor(((tick + 1) * rate) / 10) - Math.floor((tick * rate) / 10);
    for (const l of learners) for (let k = 0; k < due; k++) traceIds.push(pushTrace(l.web, l.api));
    const wait = started + (tick + 1) * 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (tick % 10 === 9) process.stdout.write(`\r  ${n} learners: ${traceIds.length} traces sent`);
  }
  await Promise.all(learners.flatMap((l) => [l.web.provider.forceFlush(), l.api.provider.forceFlush()]));
  const elapsed = (Date.now() - started) / 1000;
  searching = false;
  await instructor;
  const sample = [...traceIds].sort(() => Math.random() - 0.5).slice(0, Number(values.sample));
  // Every span was delivered (forceFlush above); a sampled trace that is still incomplete 10 s later is lost.
  const deadline = Date.now() + 10_000;
  let complete = 0;
  for (const id of sample) {
    while ((await spansFoundById(id)) !== SPANS_PER_TRACE && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    if ((await spansFoundById(id)) === SPANS_PER_TRACE) complete++;
  }
  const delivered = learners.reduce((sum, l) => sum + l.web.exporter.delivered + l.api.exporter.delivered, 0);
  const failed = learners.reduce((sum, l) => sum + l.web.exporter.failed + l.api.exporter.failed, 0);
  await Promise.all(learners.flatMap((l) => [l.web.provider.shutdown(), l.api.provider.shutdown()]));
  sink?.clear();
  const row = {
    learners: n,
    spansPerSecond: delivered / elapsed,
    failed,
    complete,
    sampled: sample.length,
    searchP95: percentile(searches, 95),
  };
  rows.push(row);
  process.stdout.write(
    `\r  ${n} learners: ${row.spansPerSecond.toFixed(0)} spans/s delivered, ${failed} failed, ${complete}/${sample.length} sampled traces complete, search p95 ${seconds(row.searchP95)}\n`,
  );
}
await sink?.stop();

const holds = (r: Row) => r.failed === 0 && r.complete === r.sampled && (dry || r.searchP95 <= 5000);
process.stdout.write('\nlearners  spans/s  failed  complete     search p95\n');
for (const r of rows)
  process.stdout.write(
    `${String(r.learners).padStart(8)} ${r.spansPerSecond.toFixed(0).padStart(8)} ${String(r.failed).padStart(7)}  ${`${r.complete}/${r.sampled}`.padStart(8)}  ${seconds(r.searchP95).padStart(12)}  ${holds(r) ? 'holds' : 'does not hold'}\n`,
  );
process.stdout.write(
  `reproduce: npm run bench:class -- --learners ${values.learners} --seconds ${values.seconds} --rate ${rate}${dry ? ' --dry-run' : ''}\n`,
);
