// `dojo query` with a TraceQL metrics query, against the lab's store holding replayed traffic (healthy,
// then slow-query): the series are drawn as sparklines, the worst points name exemplar traces, and
// every exemplar id is a real trace of that series (fetched by id from the same Tempo).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pushReplay, TempoClient } from '@dojo/graders';
import { runDojo } from '@dojo/labs/testing';
import { type RunningStore, startStore } from '@dojo/tempo-store';

const minute = 60_000;

describe('dojo query draws a metrics query with the traces behind its worst points', {
  timeout: 120_000,
}, () => {
  let store: RunningStore;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    store = await startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0 });
    env = { ...process.env, TEMPO_URL: store.urls.tempo, NO_COLOR: '1', DOJO_PORT_OFFSET: '1000' };
    const end = Date.now() - 5_000;
    await pushReplay(
      store.urls.otlpHttp,
      [
        { scenario: 'healthy', startMs: end - 20 * minute, endMs: end - 10 * minute },
        { scenario: 'slow-query', startMs: end - 10 * minute, endMs: end },
      ],
      { rps: 1, seed: 7 },
    );
  });
  after(() => store?.close());

  test('p95 per api route: a sparkline per route, /api/search on top, exemplars that are real slow searches', async () => {
    const q =
      '{ resource.service.name = "api" && kind = server } | quantile_over_time(duration, .95) by (span.http.route)';
    const out = await runDojo(['query', q, '--since', '30m', '--step', '1m'], env);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n');
    const search = lines.findIndex((l) => l.startsWith('/api/search '));
    assert.equal(search, 1, `the slowest route is drawn first:\n${out.stdout}`);
    assert.match(lines[search]!, /[▁▂▃▄▅▆▇█]{5,}.*peak \d\.\d\d s/);
    const worst = lines[search + 1]!;
    assert.match(worst, /▲ \d\d:\d\d:\d\d \d\.\d\d s {2}trace [0-9a-f]{32}/);
    const ids = [...out.stdout.matchAll(/\b[0-9a-f]{32}\b/g)].map((m) => m[0]);
    assert.ok(ids.length >= 3, out.stdout);
    const tempo = new TempoClient(store.urls.tempo);
    for (const id of new Set(ids)) {
      const trace = await tempo.trace(id);
      assert.ok(trace, `exemplar ${id} is not a trace in Tempo`);
      assert.ok(
        trace.spans.some((s) => s.service === 'api' && s.kind === 'server'),
        `${id} has no api SERVER span`,
      );
    }
    // The worst point of /api/search names a trace whose search really was slow.
    const slowId = /trace ([0-9a-f]{32})/.exec(worst)![1]!;
    const slow = (await tempo.trace(slowId))!;
    const span = slow.spans.find((s) => s.attributes['http.route'] === '/api/search' && s.kind === 'server')!;
    assert.ok(span.durationMs > 250, `exemplar ${slowId}'s search took ${span.durationMs} ms`);
    assert.match(out.stdout, /draw the worst with: npx dojo trace [0-9a-f]{32}/);
  });

  test('a rate is drawn per second; --json gives the series with their exemplars', async () => {
    const q = '{ kind = server && resource.service.name = "web" } | rate()';
    const drawn = await runDojo(['query', q, '--since', '30m'], env);
    assert.equal(drawn.code, 0, drawn.stderr);
    assert.match(drawn.stdout, /\nrate \(all spans\) +[ ▁▂▃▄▅▆▇█]+ +peak [\d.]+\/s/);
    const json = await runDojo(['query', q, '--since', '30m', '--json'], env);
    const series = JSON.parse(json.stdout);
    assert.equal(series.length, 1);
    assert.ok(series[0].exemplars.length > 0);
  });

  test('a bad --step or a query Tempo refuses is one line and exit 2', async () => {
    const step = await runDojo(['query', '{ } | rate()', '--step', 'often'], env);
    assert.equal(step.code, 2);
    assert.match(step.stderr, /^dojo: --step must look like 15s, 1m or 5m, got "often"\n$/);
    const span = await runDojo(['query', '{ } | rate()', '--since', '30m', '--step', '1ms'], env);
    assert.equal(span.code, 2);
    assert.match(span.stderr, /^dojo: Tempo rejected the query: .*step/);
  });
});
