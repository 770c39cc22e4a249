// Captures one real trace per scenario from the local lab (spans exported by the real SDK to a capturing
// OTLP receiver) and writes them in the shape of Tempo's GET /api/traces/<id> for the site's waterfalls.
// Run: node site/scripts/capture-traces.ts [scenario …]   (from the repo root; starts and stops its own
// lab; with scenario ids, only their traces are captured again)
import { writeFileSync } from 'node:fs';
import { portsFor } from '@dojo/course';
import { isolatedLab, runDojo } from '@dojo/labs/testing';
import { type CapturedSpan, OtlpSink } from '@dojo/sample-app/testing';
import { base64Id, spanKindNames } from '@dojo/tempo-store/otlp-json';

const out = new URL('../src/data/traces/', import.meta.url);
const kv = (o: Record<string, unknown>) =>
  Object.entries(o).map(([key, v]) => ({
    key,
    value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: String(v) },
  }));

function tempoShape(spans: CapturedSpan[]) {
  const byService = new Map<string, CapturedSpan[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return {
    batches: [...byService.values()].map((list) => ({
      // The real resource, minus what only describes the capturing machine.
      resource: {
        attributes: kv(
          Object.fromEntries(
            Object.entries(list[0]!.resource).filter(([k]) => !/^(host|process|os)\./.test(k)),
          ),
        ),
      },
      scopeSpans: [
        {
          spans: list.map((s) => ({
            traceId: base64Id(s.traceId),
            spanId: base64Id(s.spanId),
            ...(s.parentSpanId ? { parentSpanId: base64Id(s.parentSpanId) } : {}),
            name: s.name,
            kind: spanKindNames[s.kind],
            startTimeUnixNano: String(BigInt(Math.round(s.startMs * 1000)) * 1000n),
            endTimeUnixNano: String(BigInt(Math.round((s.startMs + s.durationMs) * 1000)) * 1000n),
            attributes: kv(
              Object.fromEntries(
                Object.entries(s.attributes).filter(
                  ([k]) => !k.startsWith('network.') && k !== 'user_agent.original',
                ),
              ),
            ),
            status: s.statusCode === 2 ? { code: 'STATUS_CODE_ERROR' } : {},
            ...(s.events.length
              ? { events: s.events.map((e) => ({ name: e.name, attributes: kv(e.attributes) })) }
              : {}),
          })),
        },
      ],
    })),
  };
}

const sink = await new OtlpSink().start();
const lab = await isolatedLab({
  TEMPO_URL: sink.url,
  OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
});
const web = `http://127.0.0.1:${portsFor(lab.env).web}`;
const checkout = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'productId=17&quantity=2&customerId=42',
};

/** A shopper's request (no traceparent): web starts the trace and names it in its traceresponse header. */
async function request(path: string, init: RequestInit = {}) {
  const res = await fetch(`${web}${path}`, init);
  await res.arrayBuffer();
  const traceId = res.headers.get('traceresponse')?.split('-')[1];
  if (!traceId) throw new Error(`web sent no traceresponse header for ${path}`);
  return { traceId, status: res.status };
}

const plan: [string, string, string, RequestInit, (s: number) => boolean][] = [
  ['healthy', 'healthy-checkout', '/checkout', checkout, (s) => s === 201],
  ['missing-propagation', 'missing-propagation-product', '/products/3', {}, () => true],
  ['slow-query', 'slow-query-search', '/search?q=zipper', {}, () => true],
  ['n-plus-one', 'n-plus-one-product', '/products/9', {}, () => true],
  ['external-latency', 'external-latency-checkout', '/checkout', checkout, () => true],
  ['error-cascade', 'error-cascade-checkout', '/checkout', checkout, (s) => s === 502],
  ['async-context-lost', 'async-context-lost-checkout', '/checkout', checkout, (s) => s === 201],
  ['network-latency', 'network-latency-product', '/products/5', {}, () => true],
];
const only = process.argv.slice(2);

/** The network-latency picture needs both faults in one page: a held-back call and a reset one, re-sent. */
function showsNetworkFaults(spans: CapturedSpan[]): boolean {
  const clients = spans.filter((s) => s.service === 'web' && s.kind === 3);
  const child = (c: CapturedSpan) => spans.find((s) => s.parentSpanId === c.spanId);
  return (
    clients.some((c) => c.statusCode === 2 && !child(c)) &&
    clients.some((c) => c.durationMs > 300 && (child(c)?.durationMs ?? 1e9) < 100)
  );
}
try {
  const up = await runDojo(['lab', 'up', '--external-tempo', '--no-load'], lab.env);
  if (up.code !== 0) throw new Error(up.stderr);
  for (const [scenario, file, path, init, wanted] of plan) {
    if (only.length && !only.includes(scenario)) continue;
    if (scenario !== 'healthy') await runDojo(['scenario', 'set', scenario], lab.env);
    let pick: { traceId: string } | undefined;
    for (let i = 0; i < (scenario === 'network-latency' ? 80 : 30) && !pick; i++) {
      const r = await request(path, init);
      await new Promise((res) => setTimeout(res, 1500));
      const slowPay =
        scenario !== 'external-latency' ||
        sink.trace(r.traceId).some((s) => s.attributes['peer.service'] === 'payments' && s.durationMs > 1000);
      const network = scenario !== 'network-latency' || showsNetworkFaults(sink.trace(r.traceId));
      if (wanted(r.status) && slowPay && network) pick = r;
    }
    if (!pick) throw new Error(`no trace for ${scenario}`);
    await new Promise((res) => setTimeout(res, 1500));
    const spans = sink.trace(pick.traceId);
    writeFileSync(new URL(`${file}.json`, out), `${JSON.stringify(tempoShape(spans), null, 1)}\n`);
    process.stdout.write(`${file}: ${spans.length} spans\n`);
    // The orphaned half of a broken trace is a trace of its own: keep it beside the first.
    const orphan = sink.spans.find(
      (s) =>
        s.parentSpanId === '' &&
        s.traceId !== pick.traceId &&
        (s.service === 'api' || s.name === 'order.confirm'),
    );
    if (orphan && (scenario === 'missing-propagation' || scenario === 'async-context-lost')) {
      writeFileSync(
        new URL(`${file}-orphan.json`, out),
        `${JSON.stringify(tempoShape(sink.trace(orphan.traceId)), null, 1)}\n`,
      );
    }
    sink.clear();
  }
} finally {
  await lab.cleanup();
  await sink.stop();
}
