// The TraceQL grader's validity suite: every question graded on answers whose right verdict a teacher
// fixed beforehand (traceql-variants.yaml, and the bank's `catches`), against a Tempo started as the lab
// starts it (the store, or DOJO_TEMPO_BIN's real Tempo) holding the lab's traffic — captured shop traces
// and the delivery pipeline's emitter — plus the designed traces the grader pushes itself. Agreement is
// printed per question and must be 100 %; the reference answers must pass 20 gradings in a row.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTempo, type TempoUnderTest } from '@dojo/labs/testing';
import { parse } from 'yaml';
import { type FixtureFile, type FixtureTrace, placeFixtures } from '../src/fixture-files.ts';
import type { Verdict } from '../src/grade-model.ts';
import { pushTraces, untilSearchable } from '../src/grading-traffic.ts';
import { loadQuestionBank } from '../src/question-bank.ts';
import { TempoClient } from '../src/tempo-client.ts';
import { gradeTraceql } from '../src/traceql-grader.ts';
import { startPipelineTraffic } from './support/pipeline-traffic.ts';

const bank = loadQuestionBank();
const variants = parse(readFileSync(new URL('./traceql-variants.yaml', import.meta.url), 'utf8')) as Record<
  string,
  { pass?: string[]; fail?: string[] }
>;
interface Case {
  question: string;
  answer: string;
  want: Verdict;
  kind: 'rewrite' | 'near miss' | 'caught by a designed trace';
}
const cases: Case[] = bank.flatMap((q) => [
  ...(variants[q.id]?.pass ?? []).map((answer) => ({
    question: q.id,
    answer,
    want: 'pass' as const,
    kind: 'rewrite' as const,
  })),
  ...(variants[q.id]?.fail ?? []).map((answer) => ({
    question: q.id,
    answer,
    want: 'fail' as const,
    kind: 'near miss' as const,
  })),
  ...q.catches.map((c) => ({
    question: q.id,
    answer: c.answer,
    want: 'fail' as const,
    kind: 'caught by a designed trace' as const,
  })),
]);

/** The site's captured lab traces (Tempo's trace-by-id JSON) as OTLP/JSON bodies: the shop's own traffic. */
function capturedShopTraffic(): FixtureFile {
  const dir = new URL('../../site/src/data/traces/', import.meta.url);
  // Tempo's JSON carries base64 ids; some captures kept the SDK's hex.
  const hex = (id: string) =>
    /^[0-9a-f]{16}([0-9a-f]{16})?$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex');
  const kinds: Record<string, number> = {
    SPAN_KIND_INTERNAL: 1,
    SPAN_KIND_SERVER: 2,
    SPAN_KIND_CLIENT: 3,
    SPAN_KIND_PRODUCER: 4,
    SPAN_KIND_CONSUMER: 5,
  };
  const codes: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
  const traces: FixtureTrace[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const { batches } = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      for (const b of batches)
        for (const s of b.scopeSpans)
          for (const span of s.spans) {
            span.traceId = hex(span.traceId);
            span.spanId = hex(span.spanId);
            if (span.parentSpanId) span.parentSpanId = hex(span.parentSpanId);
            span.kind = kinds[span.kind] ?? span.kind;
            if (span.status?.code) span.status.code = codes[span.status.code] ?? span.status.code;
          }
      return { name: file, about: `the lab's captured ${file}`, otlp: { resourceSpans: batches } };
    });
  return { question: 'live', about: 'captured traffic', traces };
}

describe('TraceQL grader validity', { timeout: 600_000 }, () => {
  let under: TempoUnderTest;
  let tempo: TempoClient;
  let stopPipeline: (() => void) | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dojo-validity-'));
  const grade = (answers: Map<string, string>) => {
    const yaml = [...answers].map(([id, q]) => `${id}: '${q.replaceAll("'", "''")}'`).join('\n');
    writeFileSync(join(dir, 'traceql.yaml'), `${yaml}\n`);
    return gradeTraceql(dir, tempo, { otlpUrl: under.otlpHttpUrl });
  };

  before(async () => {
    under = await startTempo();
    tempo = new TempoClient(under.tempoUrl);
    // The shop's traffic (captured at different times: placed one after another), finished a little
    // before the first grading's window ends.
    const endMs = Date.now() - 20_000;
    const shop = capturedShopTraffic();
    const placed = shop.traces.map((trace, i) =>
      placeFixtures([{ ...shop, traces: [trace] }], endMs - (shop.traces.length - i) * 3000),
    );
    await pushTraces(under.otlpHttpUrl, { resourceSpans: placed.flatMap((p) => p.body.resourceSpans) });
    await untilSearchable(
      tempo,
      placed.flatMap((p) => p.traces),
      { start: endMs / 1000 - 120, end: endMs / 1000 + 1 },
    );
    // The delivery pipeline, as the lab runs it.
    stopPipeline = await startPipelineTraffic(under.otlpHttpUrl, tempo);
  });

  after(async () => {
    stopPipeline?.();
    await under?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every question has at least 8 answers with a known verdict, right and wrong', () => {
    for (const q of bank) {
      const mine = cases.filter((c) => c.question === q.id);
      assert.ok(mine.length >= 8, `${q.id}: ${mine.length} variants; write more in traceql-variants.yaml`);
      assert.ok(mine.some((c) => c.want === 'pass') && mine.some((c) => c.want === 'fail'), q.id);
    }
  });

  test(`every answer gets the teacher's verdict (${cases.length} answers)`, async (t) => {
    const rounds = Math.max(...bank.map((q) => cases.filter((c) => c.question === q.id).length));
    const got = new Map<Case, { verdict: Verdict; found: string }>();
    for (let r = 0; r < rounds; r++) {
      const round = new Map<string, Case>();
      for (const q of bank) {
        const c = cases.filter((x) => x.question === q.id)[r];
        if (c) round.set(q.id, c);
      }
      const g = await grade(new Map([...round].map(([id, c]) => [id, c.answer])));
      for (const [id, c] of round) {
        const check = g.checks.find((x) => x.id === id)!;
        got.set(c, { verdict: check.verdict, found: `${check.found} / ${check.hint ?? ''}` });
      }
    }
    const wrong = cases.filter((c) => got.get(c)?.verdict !== c.want);
    t.diagnostic(`agreement with the teacher's verdicts on ${under.name}:`);
    for (const q of bank) {
      const mine = cases.filter((c) => c.question === q.id);
      const agree = mine.filter((c) => !wrong.includes(c)).length;
      t.diagnostic(
        `  ${q.id.padEnd(22)} ${String(agree).padStart(2)}/${String(mine.length).padEnd(2)} ${((100 * agree) / mine.length).toFixed(1).padStart(5)} %`,
      );
    }
    t.diagnostic(`  all ${cases.length - wrong.length}/${cases.length}`);
    assert.deepEqual(
      wrong.map(
        (c) =>
          `${c.question} (${c.kind}) ${c.answer}: want ${c.want}, got ${got.get(c)?.verdict}: ${got.get(c)?.found}`,
      ),
      [],
    );
  });

  test('20 consecutive gradings of every reference answer all pass', async () => {
    const references = new Map(bank.map((q) => [q.id, q.reference]));
    const failures: string[] = [];
    for (let i = 0; i < 20; i++) {
      const g = await grade(references);
      for (const c of g.checks)
        if (c.verdict !== 'pass') failures.push(`grading ${i + 1}, ${c.id}: ${c.verdict}, ${c.found}`);
    }
    assert.deepEqual(failures, []);
  });
});
