// The cheat sheet's examples return what its text says they return, on the recordings their "try it"
// opens (src/data/datasets), run by the engine the playground runs; and every <TryIt> names a known example.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { metricsQueryRange, type Span, search, type Trace } from '@dojo/traceql';
import { type ExampleId, traceqlExamples } from '../src/data/traceql-examples.ts';
import type { Dataset } from '../src/lib/playground/dataset.ts';
import { metricsStep } from '../src/lib/playground/run.ts';
import { recording } from './support/recordings.ts';

interface Answer {
  data: Dataset;
  traces: Trace[];
  /** every matched span (span sets are asked for in full) */
  spans: Span[];
  all: Span[];
}

function run(id: ExampleId): Answer {
  const { query, dataset } = traceqlExamples[id];
  const data = recording(dataset);
  const r = search(query, data.traces, { limit: 1000, spss: 100 });
  assert.equal(r.status, 200, `${id}: ${query} failed`);
  if (r.status !== 200) throw new Error();
  const byId = new Map(data.traces.map((t) => [t.traceId, t]));
  const traces = r.body.traces.map((t) => byId.get(t.traceID.padStart(32, '0'))!);
  const spans = r.body.traces.flatMap((t, i) =>
    t.spanSets.flatMap((set) => set.spans.map((s) => traces[i]!.spans.find((x) => x.spanId === s.spanID)!)),
  );
  return { data, traces, spans, all: data.traces.flatMap((t) => t.spans) };
}

const svc = (s: Span) => s.resource.attrs.get('service.name');
const attr = (s: Span, k: string) => s.attrs.get(k);
const parentOf = (t: Trace, s: Span) => t.spans.find((p) => p.spanId === s.parentSpanId);
const traceOf = (a: Answer, s: Span) => a.traces.find((t) => t.spans.includes(s))!;
const rootOf = (t: Trace) => t.spans.find((s) => s.parentSpanId === '');

/** Some spans match, and every matched span is one the text describes. */
function everySpan(id: ExampleId, holds: (s: Span, a: Answer) => boolean, all = false): Answer {
  const a = run(id);
  assert.ok(a.spans.length > 0, `${id}: ${traceqlExamples[id].query} matches nothing`);
  const wrong = a.spans.filter((s) => !holds(s, a));
  assert.deepEqual(
    wrong.map((s) => `${svc(s)} ${s.name}`),
    [],
    `${id}: spans the text does not describe`,
  );
  if (all) {
    const missed = a.all.filter((s) => holds(s, a) && !a.spans.includes(s));
    assert.deepEqual(
      missed.map((s) => `${svc(s)} ${s.name}`),
      [],
      `${id}: spans the text describes, left out`,
    );
  }
  return a;
}

function everyTrace(id: ExampleId, holds: (t: Trace) => boolean): void {
  const a = run(id);
  assert.ok(a.traces.length > 0, `${id}: ${traceqlExamples[id].query} matches nothing`);
  assert.deepEqual(
    a.traces.filter((t) => !holds(t)).map((t) => t.traceId),
    [],
    `${id}: traces the text does not describe`,
  );
  const missed = a.data.traces.filter((t) => holds(t) && !a.traces.includes(t));
  assert.deepEqual(
    missed.map((t) => t.traceId),
    [],
    `${id}: traces the text describes, left out`,
  );
}

const none = (id: ExampleId) => assert.equal(run(id).traces.length, 0, `${id}: should match nothing`);

describe('the cheat sheet examples return what their text says', () => {
  test('selecting spans', () => {
    everySpan('service', (s) => svc(s) === 'api', true);
    const own = everySpan('span-attribute', (s) => attr(s, 'http.route') === '/checkout', true);
    assert.deepEqual(
      new Set(run('either-scope').spans),
      new Set(own.spans),
      'either scope finds the same spans',
    );
    everySpan('by-name', (s) => s.name === 'order.confirm', true);
    everySpan('by-duration', (s) => s.durationNs > 500e6, true);
    everySpan('by-status', (s) => s.statusCode === 2, true);
    everySpan('by-kind', (s) => s.kind === 3, true);
    everySpan('numbers', (s) => attr(s, 'app.customer.id') === 42n, true);
    everySpan('regex', (s) => /^\/api\/products.*$/.test(String(attr(s, 'http.route'))), true);
    everySpan('exists', (s) => attr(s, 'app.order.id') !== undefined, true);
  });

  test('trace-level intrinsics: traces whose first span is in api', () => {
    everyTrace('root-service', (t) => rootOf(t) !== undefined && svc(rootOf(t)!) === 'api');
  });

  test('combining and structure', () => {
    everySpan('and-same-span', (s) => s.kind === 3 && s.statusCode === 2, true);
    everyTrace(
      'and-spansets',
      (t) =>
        t.spans.some((s) => s.statusCode === 2) &&
        t.spans.some((s) => attr(s, 'peer.service') === 'payments'),
    );
    const ancestors = (t: Trace, s: Span): Span[] => {
      const p = parentOf(t, s);
      return p ? [p, ...ancestors(t, p)] : [];
    };
    everySpan(
      'descendant',
      (s, a) =>
        attr(s, 'db.system') === 'postgresql' &&
        ancestors(traceOf(a, s), s).some((p) => attr(p, 'http.route') === '/checkout'),
    );
    everySpan('child', (s, a) => s.kind === 2 && parentOf(traceOf(a, s), s)?.kind === 3, true);
    none('child-broken');
    everySpan(
      'sibling',
      (s, a) =>
        attr(s, 'peer.service') === 'payments' &&
        traceOf(a, s).spans.some(
          (x) => x.parentSpanId === s.parentSpanId && attr(x, 'db.system') === 'postgresql',
        ),
    );
  });

  test('pipelines', () => {
    const pg = (t: Trace) => t.spans.filter((s) => attr(s, 'db.system') === 'postgresql');
    everyTrace('count', (t) => pg(t).length > 20);
    const searches = (t: Trace) => t.spans.filter((s) => attr(s, 'http.route') === '/api/search');
    everyTrace(
      'avg',
      (t) =>
        searches(t).length > 0 &&
        searches(t).reduce((n, s) => n + s.durationNs, 0) / searches(t).length > 200e6,
    );
    everyTrace('max', (t) => t.spans.some((s) => s.kind === 3 && s.durationNs > 2e9));
    const a = everySpan('select', (s) => s.statusCode === 2, true);
    const { query, dataset } = traceqlExamples.select;
    const r = search(query, recording(dataset).traces, { limit: 1000, spss: 100 });
    const keys =
      r.status === 200
        ? r.body.traces.flatMap((t) =>
            t.spanSets.flatMap((x) => x.spans.flatMap((s) => (s.attributes ?? []).map((kv) => kv.key))),
          )
        : [];
    assert.ok(
      keys.includes('http.route') && keys.includes('service.name'),
      `select shows ${[...new Set(keys)]}`,
    );
    assert.ok(a.spans.length > 0);
  });

  test('metrics draw series', () => {
    const range = (id: ExampleId) => {
      const { query, dataset } = traceqlExamples[id];
      const data = recording(dataset);
      const r = metricsQueryRange(query, data.traces, {
        startNs: data.startNs,
        endNs: data.endNs,
        stepNs: metricsStep(data),
      });
      assert.equal(r.status, 200, `${id}: ${query}`);
      return r.status === 200 ? (r.body.series ?? []) : [];
    };
    const peak = (series: ReturnType<typeof range>) =>
      Math.max(...series.flatMap((s) => s.samples.map((p) => p.value ?? 0)));
    const services = (series: ReturnType<typeof range>) =>
      series.map((s) => s.labels[0]?.value.stringValue).sort();
    assert.deepEqual(
      services(range('rate')),
      ['api', 'web'],
      'server spans per second, one series per service',
    );
    assert.ok(peak(range('rate')) > 0);
    assert.deepEqual(services(range('errors-over-time')), ['api', 'web'], 'errors over time in both tiers');
    assert.ok(
      peak(range('quantile')) > 0.5,
      'the 90th percentile of a slow-query database span is over 500 ms (in seconds)',
    );
    assert.ok(peak(range('max-over-time')) > 1, 'the slowest vendor call is over a second');
  });

  test('the surprises: each "you write" matches nothing, each "write instead" does', () => {
    none('string-number');
    everySpan('string-number-fixed', (s) => attr(s, 'http.response.status_code') === 200n, true);
    none('regex-anchored');
    everySpan('regex-anchored-fixed', (s) => s.name.includes('products'), true);
    none('negation');
    everySpan('negation-fixed', (s) => svc(s) !== 'api', true);
  });
});

describe('try it links', () => {
  const pages = new URL('../src/content/docs/', import.meta.url);
  const mdx = (readdirSync(pages, { recursive: true }) as string[]).filter((f) => f.endsWith('.mdx'));
  const used = mdx.flatMap((f) =>
    [...readFileSync(new URL(f, pages), 'utf8').matchAll(/<TryIt id="([^"]+)"/g)].map((m) => ({
      page: f,
      id: m[1]!,
    })),
  );

  test('every <TryIt> names a known example, on a page with a playground, and every example is used', () => {
    const known = Object.keys(traceqlExamples);
    assert.deepEqual(
      used.filter((u) => !known.includes(u.id)),
      [],
    );
    for (const page of new Set(used.map((u) => u.page)))
      assert.match(
        readFileSync(new URL(page, pages), 'utf8'),
        /<Playground\b/,
        `${page} has try-it links but no playground`,
      );
    assert.deepEqual(
      known.filter((id) => !used.some((u) => u.id === id)),
      [],
      'examples no page shows',
    );
  });

  test('every example parses and runs on its recording', () => {
    for (const [id, { query, dataset }] of Object.entries(traceqlExamples)) {
      const data = recording(dataset);
      const r = search(query, data.traces, { limit: 1 });
      assert.equal(r.status, 200, `${id}: ${query}`);
    }
  });
});
