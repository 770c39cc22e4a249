// The network-latency scenario on the local lab as `dojo lab up` starts it (real tiers, real netproxy,
// real SDK export into a capturing OTLP receiver): web's CLIENT calls are long while api's SERVER spans
// stay short, reset calls are re-sent as extra CLIENT spans, and the RCA grader judges reports on them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gradeRca } from '../../../graders/src/rca-grader.ts';
import type { TempoClient } from '../../../graders/src/tempo-client.ts';
import { parseTempoTrace } from '../../../graders/src/trace-model.ts';
import { type CapturedSpan, OtlpSink, SPAN_KIND } from '../../../sample-app/test/support/otlp-sink.ts';
import { portsFor } from '../../src/lab-config.ts';
import { type IsolatedLab, isolatedLab, runDojo } from './lab-harness.ts';

let sink: OtlpSink;
let lab: IsolatedLab;
let web = '';
const answers = mkdtempSync(join(tmpdir(), 'dojo-network-rca-'));

before(async () => {
  sink = await new OtlpSink().start();
  lab = await isolatedLab({
    TEMPO_URL: sink.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  web = `http://127.0.0.1:${portsFor(lab.env).web}`;
});

after(async () => {
  await lab.cleanup();
  await sink.stop();
  rmSync(answers, { recursive: true, force: true });
});

const webClient = (s: CapturedSpan) => s.service === 'web' && s.kind === SPAN_KIND.CLIENT;
const serverChildren = (spans: CapturedSpan[], parent: CapturedSpan) =>
  spans.filter((s) => s.parentSpanId === parent.spanId && s.kind === SPAN_KIND.SERVER);

/** A product page's trace once complete: web's entry span and an api SERVER span under every answered call. */
async function productPage(id: number): Promise<CapturedSpan[]> {
  const res = await fetch(`${web}/products/${id}`);
  await res.arrayBuffer();
  const traceId = (res.headers.get('traceresponse') ?? '').split('-')[1] ?? '';
  assert.match(traceId, /^[0-9a-f]{32}$/, 'web sent no traceresponse');
  return sink.waitFor(`trace ${traceId}`, () => {
    const spans = sink.trace(traceId);
    const entry = spans.some((s) => s.service === 'web' && s.kind === SPAN_KIND.SERVER);
    const answered = spans
      .filter((s) => webClient(s) && s.statusCode !== 2)
      .every((c) => serverChildren(spans, c).length > 0);
    return entry && answered ? spans : undefined;
  });
}

/** Tempo's by-id lookup served from the capture (the grader reads nothing else from Tempo here). */
const capture = {
  trace: async (id: string) => {
    const view = parseTempoTrace(sink.rawTrace(id));
    return view.spans.length ? view : undefined;
  },
} as unknown as TempoClient;

function writeRca(fields: Record<string, string>, evidence: string[]): void {
  writeFileSync(
    join(answers, 'rca.md'),
    `---\n${Object.entries(fields)
      .map(([k, v]) => `${k}: "${v}"`)
      .join('\n')}\nevidence:\n${evidence.map((e) => `  - ${e}`).join('\n')}\n---\n` +
      "Pages are slow although api answers every request within milliseconds: web's CLIENT span lasts far longer than the api SERVER span below it, and some calls are reset and sent again. The time is lost on the network between them, not in either service.\n",
  );
}

describe('network-latency on the local lab, exported spans captured', { timeout: 600_000 }, () => {
  let slow: { traceId: string; client: CapturedSpan; server: CapturedSpan } | undefined;
  let retried: { traceId: string; reset: CapturedSpan; resend: CapturedSpan } | undefined;

  test('dojo lab up --scenario network-latency starts the link between web and api', async () => {
    const r = await runDojo(
      ['lab', 'up', '--external-tempo', '--no-load', '--scenario', 'network-latency'],
      lab.env,
    );
    assert.equal(r.code, 0, `lab up failed: ${r.stderr}\n${r.stdout}`);
    const status = JSON.parse((await runDojo(['lab', 'status', '--json'], lab.env)).stdout) as {
      components: { name: string; state: string }[];
    };
    assert.equal(status.components.find((c) => c.name === 'netproxy')?.state, 'ready');
  });

  test("web's CLIENT span is long while api's SERVER span under it is short, and resets are re-sent", async () => {
    for (let i = 1; i <= 60 && !(slow && retried); i++) {
      const spans = await productPage(i);
      for (const client of spans.filter(webClient)) {
        const [server] = serverChildren(spans, client);
        if (server && client.durationMs > 300 && server.durationMs < 100)
          slow ??= { traceId: client.traceId, client, server };
        const resend = spans.find(
          (s) =>
            webClient(s) &&
            s.parentSpanId === client.parentSpanId &&
            s.attributes['http.request.resend_count'] === 1 &&
            serverChildren(spans, s).length === 1,
        );
        if (!server && client.statusCode === 2 && resend)
          retried ??= { traceId: client.traceId, reset: client, resend };
      }
    }
    assert.ok(slow, 'no web CLIENT span over 300 ms above a fast api SERVER span in 60 product pages');
    assert.equal(slow.client.name, 'GET');
    assert.ok(retried, 'no reset CLIENT span followed by a re-sent one in 60 product pages');
    assert.ok(
      retried.reset.events.some(
        (e) =>
          e.name === 'exception' &&
          /ECONNRESET|socket hang up/.test(String(e.attributes['exception.message'])),
      ),
      'the reset call carries no exception event naming the reset',
    );
    assert.ok(
      retried.resend.startMs >= retried.reset.startMs + retried.reset.durationMs,
      'the re-send overlaps the reset call',
    );
  });

  const right = { scenario: 'network-latency', service: 'web', span: 'GET', cause: 'network-latency' };

  test('rca: the right report, with a slow and a reset trace as evidence, passes every check', async () => {
    assert.ok(slow && retried, 'needs the traces found above');
    writeRca(right, [slow.traceId, retried.traceId]);
    const grade = await gradeRca(answers, capture, 'network-latency');
    assert.deepEqual(
      grade.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.found}`),
      [],
    );
  });

  test('rca: a report blaming api fails the service, span and cause, and its evidence', async () => {
    assert.ok(slow);
    writeRca({ ...right, service: 'api', span: 'GET /api/products/:id', cause: 'vendor-latency' }, [
      slow.traceId,
    ]);
    const grade = await gradeRca(answers, capture, 'network-latency');
    const failed = grade.checks.filter((c) => c.verdict === 'fail').map((c) => c.id);
    for (const id of ['rca-service', 'rca-span', 'rca-cause', 'rca-evidence-1'])
      assert.ok(failed.includes(id), id);
  });

  test('rca: a report blaming the database fails, its evidence shows no slow query', async () => {
    assert.ok(slow);
    writeRca({ ...right, service: 'api', span: 'pg.query:SELECT shop', cause: 'missing-index' }, [
      slow.traceId,
    ]);
    const grade = await gradeRca(answers, capture, 'network-latency');
    const failed = grade.checks.filter((c) => c.verdict === 'fail').map((c) => c.id);
    for (const id of ['rca-service', 'rca-span', 'rca-cause', 'rca-evidence-1'])
      assert.ok(failed.includes(id), id);
  });

  test('healthy: the same pages show no long web CLIENT span and no reset', async () => {
    const r = await runDojo(['scenario', 'set', 'healthy'], lab.env);
    assert.equal(r.code, 0, r.stderr);
    sink.clear();
    for (let i = 1; i <= 15; i++) await productPage(i);
    const clients = sink.spans.filter(webClient);
    assert.ok(clients.length >= 30);
    assert.deepEqual(
      clients
        .filter((s) => s.durationMs > 300 || s.statusCode === 2)
        .map((s) => `${s.durationMs.toFixed(0)} ms`),
      [],
    );
  });
});
