// The lab with its Tempo, as `make lab-up` starts it (the lab's own store, or a real Tempo when
// DOJO_TEMPO_BIN is set): traces become visible by id and by TraceQL, each scenario's reference query finds
// its signature and the healthy run's does not, and the traces it finds are evidence the RCA grader accepts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCatalog, portsFor } from '@dojo/course';
import { gradeRca, referenceRca, TempoClient, type TraceView } from '@dojo/graders';
import { type IsolatedLab, isolatedLab, runDojo, tempoUnderTest, until } from '@dojo/labs/testing';

describe(`the lab with ${tempoUnderTest()}`, { timeout: 900_000 }, () => {
  let lab: IsolatedLab;
  let tempo: TempoClient;
  let web = '';
  const answers = mkdtempSync(join(tmpdir(), 'dojo-rca-'));

  before(async () => {
    lab = await isolatedLab();
    const ports = portsFor(lab.env);
    web = `http://127.0.0.1:${ports.web}`;
    tempo = new TempoClient(`http://127.0.0.1:${ports.tempoHttp}`);
    const up = await runDojo(['lab', 'up', '--no-load'], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}`);
  });

  after(async () => {
    await lab?.cleanup();
    rmSync(answers, { recursive: true, force: true });
  });

  interface Sent {
    traceId: string;
    path: string;
    status: number;
  }

  /** Shoppers' requests, without a traceparent: web starts each trace and names it in traceresponse. */
  async function traffic(paths: string[]): Promise<Sent[]> {
    const sent: Sent[] = [];
    for (const path of paths) {
      const init: RequestInit =
        path === '/checkout'
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: 'productId=3&quantity=1&customerId=7',
            }
          : {};
      const res = await fetch(`${web}${path}`, init);
      await res.arrayBuffer();
      const traceId = res.headers.get('traceresponse')?.split('-')[1];
      assert.ok(traceId, `web sent no traceresponse header for ${path}`);
      sent.push({ traceId, path, status: res.status });
    }
    return sent;
  }

  /** A healthy trace is complete when web's and api's entry spans and a placed order's job are all in. */
  const complete = (s: Sent) => (v: TraceView) =>
    v.spans.some((x) => x.service === 'web' && x.kind === 'server') &&
    v.spans.some((x) => x.service === 'api' && x.kind === 'server') &&
    (s.path !== '/checkout' || s.status !== 201 || v.spans.some((x) => x.name === 'order.confirm'));

  const mix = [
    '/',
    '/products/11',
    '/search?q=zipper',
    '/checkout',
    '/checkout',
    '/checkout',
    '/checkout',
    '/checkout',
  ];
  const window = () => ({ start: Date.now() / 1000 - 600, end: Date.now() / 1000 + 5, limit: 100 });

  test('lab status names the Tempo it runs', async () => {
    const status = await runDojo(['lab', 'status'], lab.env);
    assert.equal(status.code, 0, status.stderr);
    const expected = lab.env.DOJO_TEMPO_BIN
      ? /Tempo\s+Tempo\b.*, binary .* \(DOJO_TEMPO_BIN\)/
      : /Tempo\s+the lab's Tempo-compatible store/;
    assert.match(status.stdout, expected);
  });

  test('healthy: a checkout is one trace rooted at web, found by id with api and PostgreSQL spans, and by TraceQL', async () => {
    const [sent] = await traffic(['/checkout']);
    const view = await until('the whole checkout by id', async () => {
      const v = await tempo.trace(sent!.traceId);
      return v && complete(sent!)(v) ? v : undefined;
    });
    assert.ok(view.spans.some((s) => s.attributes['db.system'] === 'postgresql'));
    assert.equal(view.orphans.length, 0);
    assert.deepEqual(
      view.roots.map((r) => `${r.service} ${r.kind} ${r.name}`),
      ['web server POST /checkout'],
    );
    const found = await until('the trace by search', async () => {
      const hits = await tempo.search(`{ trace:id = "${sent!.traceId}" }`, window());
      return hits.length ? hits : undefined;
    });
    assert.equal(found[0]!.traceId, sent!.traceId);
    assert.equal(found[0]!.rootServiceName, 'web');
    const trace = await runDojo(['trace', sent!.traceId], lab.env);
    assert.equal(trace.code, 0, trace.stderr);
    assert.match(trace.stdout, /POST \/checkout/);
  });

  test("healthy: no other scenario's reference query matches", async () => {
    const sent = await traffic(mix);
    // Wait for whole traces, by id and then by search (a real Tempo's search lags by-id by seconds), so
    // no half-arrived trace looks like a broken one.
    for (const s of sent) {
      await until(`trace ${s.traceId} (${s.path}) complete`, async () => {
        const v = await tempo.trace(s.traceId);
        return v && complete(s)(v) ? v : undefined;
      });
    }
    const healthy = loadCatalog().scenarios.find((s) => s.id === 'healthy')!.reference;
    await until('every healthy trace searchable by the healthy reference', async () => {
      const hits = new Set((await tempo.search(healthy, window())).map((t) => t.traceId));
      return sent.every((s) => hits.has(s.traceId)) ? true : undefined;
    });
    for (const s of loadCatalog().scenarios.filter((x) => x.id !== 'healthy')) {
      const hits = await tempo.search(s.reference, window());
      assert.deepEqual(
        hits.map((h) => h.traceId),
        [],
        `${s.id}'s reference ${s.reference} matched in healthy`,
      );
    }
  });

  test('dojo query --limit 2 prints the two newest traces, newest first', async () => {
    const sent = await traffic(['/', '/products/2', '/products/5', '/']);
    const [newer, newest] = sent.slice(-2).map((s) => s.traceId);
    const ids = await until('the newest traces searchable', async () => {
      const q = await runDojo(
        ['query', '{ resource.service.name = "web" }', '--limit', '2', '--json'],
        lab.env,
      );
      assert.equal(q.code, 0, q.stderr);
      const found = (JSON.parse(q.stdout) as { traceId: string }[]).map((t) => t.traceId);
      return found.includes(newest!) && found.includes(newer!) ? found : undefined;
    });
    assert.deepEqual(ids, [newest, newer]);
  });

  for (const scenario of loadCatalog().scenarios.filter((s) => s.id !== 'healthy')) {
    test(`${scenario.id}: its reference TraceQL finds the signature, and a trace it finds is evidence the RCA grader accepts`, async () => {
      const r = await runDojo(['scenario', 'reset', scenario.id], lab.env);
      assert.equal(r.code, 0, r.stderr);
      const hits = await until(
        `${scenario.reference} to match`,
        async () => {
          await traffic(mix);
          const found = await tempo.search(scenario.reference, window());
          return found.length ? found : undefined;
        },
        90_000,
      );
      // The catalog's root cause, with the first match as evidence: every RCA check must pass.
      const evidence = await tempo.trace(hits[0]!.traceId);
      assert.ok(evidence, `${hits[0]!.traceId} found by search but not by id`);
      writeFileSync(join(answers, 'rca.md'), referenceRca(scenario, [evidence]));
      const grade = await gradeRca(answers, tempo, scenario);
      assert.deepEqual(
        grade.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.found}`),
        [],
        `reference evidence ${hits[0]!.traceId} rejected`,
      );
    });
  }
});
