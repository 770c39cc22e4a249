// TraceQL metrics beyond the oracle's answers: Tempo's bucket boundaries (a sample at t counts spans
// starting in (t − step, t]), and exemplars — every exemplar names a real trace and span that the
// series counted, in the sample's bucket, within the query's limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addSpan,
  type MetricsFailure,
  metricsQueryInstant,
  metricsQueryRange,
  newTrace,
  type Span,
  spansFromOtlp,
  type Trace,
} from '@dojo/traceql';
import { loadFixtureTraces } from './support/oracle.ts';
import { BASE_NS } from './support/run-oracle.ts';

const S = 1_000_000_000n;
const BASE_MS = BASE_NS / 1_000_000n;

/** One trace of root spans of service `svc`, each starting `offsetNs` after BASE_NS. */
function traceWith(traceId: string, svc: string, offsetsNs: bigint[], durationNs = 5_000_000n): Trace {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }] },
        scopeSpans: [
          {
            spans: offsetsNs.map((off, i) => ({
              traceId,
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name: `op ${i}`,
              kind: 2,
              startTimeUnixNano: String(BASE_NS + off),
              endTimeUnixNano: String(BASE_NS + off + durationNs),
            })),
          },
        ],
      },
    ],
  };
  const trace = newTrace(traceId);
  for (const s of spansFromOtlp(body)) addSpan(trace, s);
  return trace;
}

function samples(body: {
  series?: { samples: { timestampMs: string; value?: number }[] }[];
}): [number, number][] {
  const s = body.series?.[0];
  return (s?.samples ?? []).map((p) => [Number(BigInt(p.timestampMs) - BASE_MS), p.value ?? 0]);
}

/** The body of a metrics answer, which must be a 200. */
function answered<B>(r: { status: 200; body: B } | MetricsFailure): B {
  if (r.status !== 200) assert.fail(`answered ${r.status}: ${r.error}`);
  return r.body;
}

/** The first series' samples of a range query over [start, end] after BASE_NS, which must answer 200. */
function rangeSamples(
  query: string,
  traces: Trace[],
  start: bigint,
  end: bigint,
  step: bigint,
): [number, number][] {
  return samples(
    answered(
      metricsQueryRange(query, traces, { startNs: BASE_NS + start, endNs: BASE_NS + end, stepNs: step }),
    ),
  );
}

test('a span on a step boundary counts in the sample at that boundary, one a nanosecond later in the next', () => {
  const t = traceWith('0af7651916cd43dd8448eb211c80319c', 'api', [
    10n * S,
    10n * S + 1n,
    20n * S,
    30n * S,
    30n * S + 1n,
  ]);
  // Tempo widens the window by one step before it: samples at 0, 10, 20 and 30 s. The span 1 ns
  // after 30 s is past the window's end.
  assert.deepEqual(rangeSamples('{ } | count_over_time()', [t], 0n, 30n * S, 10n * S), [
    [0, 0],
    [10_000, 1],
    [20_000, 2],
    [30_000, 1],
  ]);
  assert.deepEqual(rangeSamples('{ } | rate()', [t], 0n, 30n * S, 10n * S)[2], [20_000, 0.2]);
});

test('a range window that is not on step boundaries is widened to them', () => {
  const t = traceWith('1af7651916cd43dd8448eb211c80319c', 'api', [1n * S, 25n * S]);
  // floor(3 s) → 0 s, minus a step; ceil(21 s) → 30 s: the span at 25 s is in, the one at 1 s too.
  assert.deepEqual(rangeSamples('{ } | count_over_time()', [t], 3n * S, 21n * S, 10n * S), [
    [0, 0],
    [10_000, 1],
    [20_000, 0],
    [30_000, 1],
  ]);
});

test('an instant query counts spans starting after its start and up to its end, over the whole window', () => {
  const t = traceWith('2af7651916cd43dd8448eb211c80319c', 'api', [0n, 1n, 60n * S, 60n * S + 1n]);
  const count = metricsQueryInstant('{ } | count_over_time()', [t], {
    startNs: BASE_NS,
    endNs: BASE_NS + 60n * S,
  });
  assert.equal(answered(count).series?.[0]?.value, 2);
  const rate = metricsQueryInstant('{ } | rate()', [t], { startNs: BASE_NS, endNs: BASE_NS + 60n * S });
  assert.equal(answered(rate).series?.[0]?.value, 2 / 60);
});

test('a plain search or a broken metrics query is refused with 400', () => {
  const opts = { startNs: BASE_NS, endNs: BASE_NS + 60n * S };
  const search = metricsQueryRange('{ status = error }', [], opts);
  assert.deepEqual(search, { status: 400, error: 'not a metrics query' });
  assert.equal(metricsQueryInstant('{ status = error }', [], opts).status, 400);
  assert.equal(metricsQueryRange('{ } | quantile_over_time(duration)', [], opts).status, 400);
  assert.equal(metricsQueryRange('{ } | quantile_over_time(duration, 1.5)', [], opts).status, 400);
  assert.equal(metricsQueryRange('{ } | rate()', [], { startNs: BASE_NS, endNs: BASE_NS }).status, 400);
});

const fixtures = [...loadFixtureTraces(BASE_NS).values()];
const window = { startNs: BASE_NS - 20n * S, endNs: BASE_NS + 100n * S, stepNs: 10n * S };

function spanById(traceIdLabel: string, spanId: string): { trace: Trace; span: Span } | undefined {
  for (const trace of fixtures) {
    if (trace.traceId.replace(/^0+/, '') !== traceIdLabel) continue;
    const span = trace.spans.find((s) => s.spanId === spanId);
    if (span) return { trace, span };
  }
  return undefined;
}

type Body = {
  series?: {
    labels: { key: string; value: Record<string, unknown> }[];
    samples: { timestampMs: string; value?: number }[];
    exemplars?: {
      labels: { key: string; value: Record<string, unknown> }[];
      value?: number;
      timestampMs: string;
    }[];
  }[];
};

function exemplarsOf(body: Body) {
  return (body.series ?? []).flatMap((s) =>
    (s.exemplars ?? []).map((e) => {
      const label = (k: string) => e.labels.find((l) => l.key === k)?.value.stringValue as string;
      return { series: s, exemplar: e, found: spanById(label('trace:id'), label('span:id')) };
    }),
  );
}

/** The sample whose bucket (t − step, t] holds the exemplar's start. */
function sampleFor(s: NonNullable<Body['series']>[number], startNs: bigint) {
  return s.samples.find((p) => {
    const t = BigInt(p.timestampMs) * 1_000_000n;
    return startNs > t - window.stepNs && startNs <= t;
  });
}

test('every exemplar of rate() by service is a real span of that service, in the bucket it marks', () => {
  const body = answered(metricsQueryRange('{ } | rate() by (resource.service.name)', fixtures, window));
  const all = exemplarsOf(body);
  assert.ok(all.length > 20, `only ${all.length} exemplars`);
  assert.ok(all.length <= 100, `${all.length} exemplars, over Tempo's limit of 100`);
  for (const { series, exemplar, found } of all) {
    assert.ok(found, `exemplar ${JSON.stringify(exemplar.labels)} names no stored span`);
    const svc = series.labels[0]!.value.stringValue;
    assert.equal(found.span.resource.attrs.get('service.name'), svc);
    assert.equal(BigInt(exemplar.timestampMs), found.span.startNs / 1_000_000n);
    const sample = sampleFor(series, found.span.startNs);
    assert.ok(sample, 'the exemplar lies outside every sample of its series');
    assert.equal(exemplar.value ?? 0, sample.value ?? 0, 'a rate exemplar carries its bucket’s rate');
  }
  // Every series with a non-zero sample gets at least one way into its traces.
  for (const s of body.series ?? [])
    assert.ok((s.exemplars ?? []).length > 0, `no exemplar for ${JSON.stringify(s.labels)}`);
});

test('the exemplar of a max_over_time sample is the span that holds the maximum', () => {
  const all = exemplarsOf(
    answered(metricsQueryRange('{ kind = server } | max_over_time(duration)', fixtures, window)),
  );
  assert.ok(all.length > 0);
  for (const { series, exemplar, found } of all) {
    assert.ok(found);
    assert.equal(found.span.kind, 2);
    assert.equal(exemplar.value, found.span.durationNs / 1e9);
    assert.equal(sampleFor(series, found.span.startNs)?.value, exemplar.value);
  }
});

test('quantile exemplars are spans of the measured population; with(exemplars=N) caps them; instant has none', () => {
  const q = '{ span.db.system = "postgresql" } | quantile_over_time(duration, .5, .99)';
  const all = exemplarsOf(answered(metricsQueryRange(q, fixtures, window)));
  assert.ok(all.length > 0);
  for (const { exemplar, found } of all) {
    assert.ok(found);
    assert.equal(found.span.attrs.get('db.system'), 'postgresql');
    assert.equal(exemplar.value, found.span.durationNs / 1e9);
  }
  const capped = metricsQueryRange(
    '{ } | rate() by (resource.service.name) with(exemplars=3)',
    fixtures,
    window,
  );
  assert.equal(exemplarsOf(answered(capped)).length, 3);
  const none = metricsQueryRange('{ } | rate()', fixtures, { ...window, exemplars: 0 });
  assert.equal(exemplarsOf(answered(none)).length, 0);
  const instant = metricsQueryInstant(q, fixtures, window);
  assert.ok(!JSON.stringify(answered(instant)).includes('exemplars'));
});

test('compare() hangs exemplars on the totals of the attributes their span has', () => {
  const body = answered(
    metricsQueryRange(
      '{ resource.service.name = "api" } | compare({ status = error }, 500)',
      fixtures,
      window,
    ),
  );
  const all = exemplarsOf(body);
  assert.ok(all.length > 0);
  for (const { series, found } of all) {
    assert.ok(found);
    const meta = series.labels[0]!.value.stringValue;
    assert.ok(meta === 'baseline_total' || meta === 'selection_total', `exemplar on a ${meta} series`);
    assert.equal(found.span.resource.attrs.get('service.name'), 'api');
    assert.equal(meta === 'selection_total', found.span.statusCode === 2);
  }
});
