// The TraceQL questions' designed traces: the committed files are what their designs build, each is a
// well-formed trace in the lab's shapes, every question has some unless the lab always makes its data,
// and every wrong answer the bank says a trace catches is told apart from the reference by that trace
// alone (the lab's own engine, offline; validity.test.ts grades the same answers on a live Tempo).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { addSpan, newTrace, search, spansFromOtlp } from '@dojo/traceql';
import { type FixtureTrace, fixturesDir, loadFixtures } from '../src/fixture-files.ts';
import { loadQuestionBank } from '../src/question-bank.ts';
import { builtFixtures } from './fixture-designs/build.ts';

const bank = loadQuestionBank();
/** The delivery pipeline's emitter replays its history into every lab: those questions always have data. */
const pipelineMade = (reference: string) => /jenkins|argocd|cicd\.|git\.commit/.test(reference);

test('every question owns designed traces, unless the lab always makes its data (the pipeline)', () => {
  for (const q of bank) {
    const has = existsSync(new URL(`${q.id}.json`, fixturesDir));
    assert.ok(has || pipelineMade(q.reference), `${q.id}: no graders/data/fixtures/${q.id}.json`);
    if (q.catches.length) assert.ok(has, `${q.id} has catches but no designed traces`);
  }
});

test('the committed fixture files are what their designs build (node graders/test/fixture-designs/build.ts)', () => {
  for (const built of builtFixtures()) assert.deepEqual(loadFixtures(built.question), built, built.question);
});

test('each designed trace is one whole trace: one id, one root, every parent present, times in order', () => {
  for (const file of builtFixtures())
    for (const t of file.traces) {
      const spans = spansFromOtlp(t.otlp);
      const where = `${file.question}/${t.name}`;
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, where);
      const ids = new Set(spans.map((s) => s.spanId));
      assert.equal(ids.size, spans.length, `${where}: span ids repeat`);
      assert.equal(spans.filter((s) => !s.parentSpanId).length, 1, `${where}: one root`);
      for (const s of spans) {
        if (s.parentSpanId)
          assert.ok(ids.has(s.parentSpanId), `${where}: ${s.name} has no parent in the trace`);
        assert.ok(s.durationNs >= 0, `${where}: ${s.name} ends before it starts`);
        assert.match(String(s.resource.attrs.get('service.name')), /^(web|api)$/, where);
      }
    }
});

function traceOf(t: FixtureTrace) {
  const trace = newTrace(spansFromOtlp(t.otlp)[0]!.traceId);
  for (const s of spansFromOtlp(t.otlp)) addSpan(trace, s);
  return trace;
}

/** What a query matches in one trace: span ids for span questions, the trace for trace questions. */
function matched(query: string, t: FixtureTrace, unit: string): string[] {
  const r = search(query, [traceOf(t)], { spss: 100, limit: 10 });
  if (r.status !== 200) throw new Error(`${query}: ${r.error}`);
  return unit === 'spans'
    ? r.body.traces.flatMap((x) => x.spanSets.flatMap((s) => s.spans.map((sp) => sp.spanID))).sort()
    : r.body.traces.map((x) => x.traceID);
}

for (const q of bank.filter((x) => x.catches.length)) {
  test(`${q.id}: each wrong answer in catches is told apart by the trace named for it`, () => {
    const traces = new Map(loadFixtures(q.id).traces.map((t) => [t.name, t]));
    for (const c of q.catches) {
      const t = traces.get(c.caughtBy);
      assert.ok(t, `${q.id}: no designed trace named ${c.caughtBy}`);
      assert.notDeepEqual(
        matched(c.answer, t, q.compare),
        matched(q.reference, t, q.compare),
        `${q.id}: ${c.answer} matches what the reference matches in ${c.caughtBy}`,
      );
    }
  });
}
