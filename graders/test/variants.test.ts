// Per-learner variants on the lab's store: two learners' seeds give two different sets of right answers
// (a threshold, a customer, the commit their scenario shipped), and each set passes only its own
// learner's grading. The commits come from the real pipeline emitter run with each seed; the threshold
// and customer cases from the questions' designed traces, moved to each learner's values by the grader.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { variantOf } from '@dojo/course';
import { type RunningStore, startStore } from '@dojo/tempo-store';
import { loadFixtures } from '../src/fixture-files.ts';
import { fixturesForVariant } from '../src/fixture-variants.ts';
import { loadQuestionBank } from '../src/question-bank.ts';
import { TempoClient } from '../src/tempo-client.ts';
import { gradeTraceql } from '../src/traceql-grader.ts';

const emitterMain = fileURLToPath(
  new URL('../../sample-app/src/pipeline/main.ts', import.meta.resolve('@dojo/sample-app')),
);
const varied = ['q-slow-db', 'q-customer-journey', 'q-commit-deploys', 'q-regression-deploy'];

/** Two learners whose thresholds differ too (customers and commits always do). */
function twoLearners(): [string, string] {
  const first = 'learner-01';
  for (let i = 2; i < 100; i++) {
    const other = `learner-${String(i).padStart(2, '0')}`;
    if (variantOf(other).slowMs !== variantOf(first).slowMs) return [first, other];
  }
  throw new Error('no second threshold among 100 seeds');
}
const learners = twoLearners();
const answerSets = new Map(
  learners.map((seed) => {
    const bank = loadQuestionBank(undefined, variantOf(seed));
    return [seed, Object.fromEntries(varied.map((id) => [id, bank.find((q) => q.id === id)!.reference]))];
  }),
);

test('two seeds give two different right answers to every varied question, and the course’s own differ from both', () => {
  const [a, b] = learners.map((s) => answerSets.get(s)!);
  const own = loadQuestionBank();
  for (const id of varied) {
    assert.notEqual(a![id], b![id], id);
    for (const set of [a!, b!]) assert.notEqual(set[id], own.find((q) => q.id === id)!.reference, id);
  }
});

test('the designed traces follow the learner: threshold cases at their threshold, their customer planted', () => {
  const v = variantOf(learners[0]);
  const slow = fixturesForVariant(loadFixtures('q-slow-db'), v);
  const atThreshold = slow.traces.find((t) => t.name === 'query-at-500ms')!;
  const spans = atThreshold.otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const durations = spans.map((s) =>
    Number((BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1_000_000n),
  );
  assert.ok(durations.includes(v.slowMs), `no span of exactly ${v.slowMs} ms in ${durations.join(', ')}`);
  const journey = JSON.stringify(fixturesForVariant(loadFixtures('q-customer-journey'), v));
  assert.ok(journey.includes(`{"intValue":"${v.customer}"}`));
  assert.ok(!journey.includes('{"intValue":"42"}'), 'customer 42 is still planted');
});

describe('each learner’s answers pass only their own grading', { timeout: 180_000 }, () => {
  let store: RunningStore;
  let tempo: TempoClient;
  const emitters: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'variants-'));

  before(async () => {
    store = await startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0 });
    tempo = new TempoClient(store.urls.tempo);
    // Each learner's lab ships slow-query's api deploy under a commit of its own.
    for (const seed of learners) {
      emitters.push(
        spawn(process.execPath, [emitterMain], {
          env: {
            ...process.env,
            OTEL_EXPORTER_OTLP_ENDPOINT: store.urls.otlpHttp,
            OTEL_BSP_SCHEDULE_DELAY: '100',
            PIPELINE_CHANGES_PER_MINUTE: '0',
            DOJO_SEED: seed,
            DOJO_SCENARIO: 'slow-query',
            DOJO_SCENARIO_SINCE: new Date(Date.now() - 8 * 60_000).toISOString(),
          },
          stdio: 'ignore',
        }),
      );
    }
    const deadline = Date.now() + 60_000;
    for (const seed of learners) {
      // The learner's own answer to q-regression-deploy finds their deploy once it is in.
      const q = answerSets.get(seed)!['q-regression-deploy']!;
      while (
        (await tempo.search(q, { start: Date.now() / 1000 - 3600, end: Date.now() / 1000 + 1 })).length === 0
      ) {
        if (Date.now() > deadline) throw new Error(`${seed}'s deploy did not arrive`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    for (const e of emitters) e.kill('SIGTERM');
  });

  after(async () => {
    for (const e of emitters) e.kill('SIGTERM');
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function grade(answersOf: string, gradedAs: string) {
    const answers = join(dir, `${answersOf}-as-${gradedAs}`);
    mkdirSync(answers);
    writeFileSync(
      join(answers, 'traceql.yaml'),
      Object.entries(answerSets.get(answersOf)!)
        .map(([id, q]) => `${id}: '${q}'`)
        .join('\n'),
    );
    const g = await gradeTraceql(answers, tempo, {
      otlpUrl: store.urls.otlpHttp,
      variant: variantOf(gradedAs),
    });
    return new Map(g.checks.map((c) => [c.id, c]));
  }

  for (const [answersOf, gradedAs] of [
    [learners[0], learners[0]],
    [learners[1], learners[1]],
    [learners[0], learners[1]],
    [learners[1], learners[0]],
  ] as const) {
    const own = answersOf === gradedAs;
    test(`${answersOf}'s answers graded as ${gradedAs}: every varied question ${own ? 'passes' : 'fails'}`, async () => {
      const checks = await grade(answersOf, gradedAs);
      for (const id of varied)
        assert.equal(checks.get(id)!.verdict, own ? 'pass' : 'fail', `${id}: ${checks.get(id)!.found}`);
    });
  }
});
