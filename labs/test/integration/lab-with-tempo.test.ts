// The lab with the real Tempo, as `make lab-up` starts it: traces become visible by id and by TraceQL,
// each scenario's reference query finds its signature, and the healthy run's does not.
// Needs a Tempo 3 binary (DOJO_TEMPO_BIN or the per-user cache); without one it says so and skips.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TempoClient } from '@dojo/graders';
import { loadCatalog } from '@dojo/labs';
import { dockerAvailable, type StartedService, startTempoContainer } from '../../src/containers/index.ts';
import { portsFor } from '../../src/lab-config.ts';
import { type IsolatedLab, isolatedLab, runDojo, tempoBinaryForTests, until } from './lab-harness.ts';

const tempoBinary = tempoBinaryForTests();
// Without a local binary, a machine with Docker runs Tempo as a container (testcontainers) instead.
const docker = tempoBinary ? false : await dockerAvailable();
const skip =
  tempoBinary || docker
    ? false
    : 'no Tempo binary and no Docker engine: set DOJO_TEMPO_BIN or build it with `make lab-up` (the Go module proxy must serve github.com/grafana/tempo)';

describe('the lab with a real Tempo', { skip, timeout: 900_000 }, () => {
  let lab: IsolatedLab;
  let tempo: TempoClient;
  let web = '';

  let container: StartedService | undefined;

  before(async () => {
    if (!tempoBinary) container = await startTempoContainer();
    lab = await isolatedLab(
      container
        ? { TEMPO_URL: container.url, OTEL_EXPORTER_OTLP_ENDPOINT: container.otlpHttp }
        : { DOJO_TEMPO_BIN: tempoBinary },
    );
    const ports = portsFor(lab.env);
    web = `http://127.0.0.1:${ports.web}`;
    tempo = new TempoClient(container?.url ?? `http://127.0.0.1:${ports.tempoHttp}`);
    const up = await runDojo(['lab', 'up', '--no-load', ...(container ? ['--external-tempo'] : [])], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}`);
  });

  after(async () => {
    await lab?.cleanup();
    await container?.stop();
  });

  async function traffic(paths: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const path of paths) {
      const traceId = randomBytes(16).toString('hex');
      const init: RequestInit =
        path === '/checkout'
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: 'productId=3&quantity=1&customerId=7',
            }
          : {};
      const headers = new Headers(init.headers);
      headers.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
      await (await fetch(`${web}${path}`, { ...init, headers })).arrayBuffer();
      ids.push(traceId);
    }
    return ids;
  }

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

  test('healthy: a checkout trace is found by id with web, api and PostgreSQL spans, and by TraceQL', async () => {
    const [id] = await traffic(['/checkout']);
    const view = await until('the trace by id', () => tempo.trace(id!));
    const services = new Set(view.spans.map((s) => s.service));
    assert.ok(services.has('web') && services.has('api'));
    assert.ok(view.spans.some((s) => s.attributes['db.system'] === 'postgresql'));
    assert.equal(view.orphans.length, 0);
    const found = await until('the trace by search', async () => {
      const hits = await tempo.search(`{ trace:id = "${id}" }`, window());
      return hits.length ? hits : undefined;
    });
    assert.equal(found[0]!.traceId, id);
    const trace = await runDojo(['trace', id!], lab.env);
    assert.equal(trace.code, 0, trace.stderr);
    assert.match(trace.stdout, /POST \/checkout/);
  });

  test("healthy: no other scenario's reference query matches", async () => {
    await traffic(mix);
    await until('healthy traffic searchable', async () => {
      const hits = await tempo.search(
        loadCatalog().scenarios.find((s) => s.id === 'healthy')!.reference,
        window(),
      );
      return hits.length ? hits : undefined;
    });
    for (const s of loadCatalog().scenarios.filter((x) => x.id !== 'healthy')) {
      assert.deepEqual(await tempo.search(s.reference, window()), [], `${s.id} matched in healthy`);
    }
  });

  for (const scenario of loadCatalog().scenarios.filter((s) => s.id !== 'healthy')) {
    test(`${scenario.id}: its reference TraceQL finds the signature after traffic`, async () => {
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
      assert.ok(hits.length > 0);
    });
  }
});
