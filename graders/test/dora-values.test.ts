// The DORA grader's arithmetic and its reading of answers/dora.yaml, without Tempo.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '@dojo/course';
import { parseDuration, parseRate, readDoraAnswers } from '../src/dora-answers.ts';
import { changesOf, lastN, quantileRange, withinQuantile, withinRate } from '../src/dora-values.ts';
import type { TraceMatch } from '../src/tempo-client.ts';

const minute = 60_000;

test('durations and rates as a learner writes them', () => {
  assert.equal(parseDuration('48m'), 48 * minute);
  assert.equal(parseDuration('1h 10m'), 70 * minute);
  assert.equal(parseDuration('1h10min'), 70 * minute);
  assert.equal(parseDuration('2.5h'), 150 * minute);
  assert.equal(parseDuration('95s'), 95_000);
  for (const bad of ['48', 'fast', '1 hour', '', 'm5']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(parseRate('15%'), 0.15);
  assert.equal(parseRate('12.5 %'), 0.125);
  assert.equal(parseRate(0.2), 0.2);
  assert.equal(parseRate('0.2'), 0.2);
  for (const bad of ['15', 'high', 2, '150%']) assert.equal(parseRate(bad), undefined, String(bad));
});

test('the accepted range of a quantile spans what the usual methods give', () => {
  const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 10); // 10 … 200
  assert.deepEqual(quantileRange(values, 0.5), { low: 100, high: 110, mid: 105 });
  const p90 = quantileRange(values, 0.9);
  assert.equal(p90.low, 180); // nearest rank
  assert.equal(p90.high, 190);
  assert.ok(Math.abs(p90.mid - 181) < 1e-9); // linear interpolation
  assert.deepEqual(quantileRange([5, 1, 3], 0.5), { low: 3, high: 3, mid: 3 });
  // ±5 %, at least 30 s
  assert.ok(withinQuantile(100 * minute * 0.96, { low: 100 * minute, high: 110 * minute }));
  assert.ok(!withinQuantile(100 * minute * 0.9, { low: 100 * minute, high: 110 * minute }));
  assert.ok(withinQuantile(10 * minute + 25_000, { low: 10 * minute, high: 10 * minute }));
  assert.ok(withinRate(0.15, 0.1, 20) && !withinRate(0.2, 0.1, 20));
});

test('one change per trace, complete by as_of, in order of completion; several matched spans are flagged', () => {
  const t = (id: string, startMs: number, durationMs: number, spans: [number, number][]): TraceMatch => ({
    traceId: id,
    rootServiceName: 'jenkins',
    rootTraceName: 'RUN x',
    startMs,
    durationMs,
    matched: spans.length,
    spans: spans.map(([s, d], i) => ({
      spanId: `${i}`,
      name: 'n',
      startMs: s,
      durationMs: d,
      attributes: {},
    })),
  });
  const asOf = 10_000;
  const { changes, ambiguous } = changesOf(
    [
      t('b', 1000, 8000, [[1000, 8000]]),
      t('a', 2000, 5000, [[2000, 5000]]),
      t('late', 1000, 20_000, [[1000, 5000]]), // its trace ends after as_of: not visible then
      t('two', 0, 9000, [
        [0, 3000],
        [4000, 5000],
      ]),
    ],
    asOf,
  );
  assert.deepEqual(
    changes.map((c) => [c.traceId, c.completedMs, c.valueMs]),
    [
      ['a', 7000, 5000],
      ['b', 9000, 8000],
      ['two', 9000, 5000],
    ],
  );
  assert.deepEqual(ambiguous, ['two']);
  assert.deepEqual(lastN([1, 2, 3], 2), [2, 3]);
});

test('dora.yaml: a full file, an empty one, and each malformed value named with its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dora-'));
  const write = (text: string) => writeFileSync(join(dir, 'dora.yaml'), text);
  write(`as_of: 2025-06-02T10:30:00Z
deploys: 20
lead_time:
  query: '{ span.cicd.pipeline.result = "success" }'
  median: 48m
  p90: 3h 10m
change_failure_rate:
  deploys_query: '{ span.cicd.pipeline.task.name = "deploy-production" }'
  failures_query: '{ span.cicd.pipeline.task.name = "rollback" }'
  value: 15%
`);
  const a = readDoraAnswers(dir);
  assert.equal(a.asOfMs, Date.parse('2025-06-02T10:30:00Z'));
  assert.equal(a.deploys, 20);
  assert.deepEqual(a.leadTime, {
    query: '{ span.cicd.pipeline.result = "success" }',
    medianMs: 48 * minute,
    p90Ms: 190 * minute,
  });
  assert.equal(a.changeFailureRate?.value, 0.15);
  write('');
  assert.deepEqual(Object.keys(readDoraAnswers(dir)), ['path']);
  for (const [text, message] of [
    ['lead_time:\n  median: fast\n', /line 2: lead_time\.median "fast" needs a unit; write it like 48m/],
    [
      'change_failure_rate:\n  value: 15\n',
      /line 2: change_failure_rate\.value "15" is not a rate; write it like 15% or 0\.15/,
    ],
    ['as_of: yesterday\n', /line 1: as_of "yesterday" is not a time/],
    ['deploys: 3\n', /line 1: deploys must be a whole number from 10 to 200/],
    ['lead_time:\n  mean: 4m\n', /line 2: unknown key "mean" under lead_time; expected query, median, p90/],
    ['lead_time:\n  query: 42\n', /line 2: lead_time\.query must be a TraceQL query in quotes/],
    ['lead_time: [1\n', /line \d+/],
  ] as const) {
    write(text);
    assert.throws(
      () => readDoraAnswers(dir),
      (e: unknown) => e instanceof UserError && message.test(e.message) && !e.message.includes('\n'),
      text,
    );
  }
});
