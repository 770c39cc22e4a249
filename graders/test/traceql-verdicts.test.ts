// `dojo grade traceql` gives every answer a verdict: queries the engine or Tempo refuses, answers YAML
// misreads, unknown ids, metrics queries where a search is asked and the reverse all fail that answer
// with a reason and a hint (exit 1). Exit 2 is kept for an answers file that cannot be read, and for a
// Tempo (or its OTLP endpoint) that cannot be reached. Runs the real CLI against a Tempo started as the
// lab starts it, found through TEMPO_URL alone.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDojo, startTempo, type TempoUnderTest } from '@dojo/labs/testing';
import type { Check, Grade } from '../src/grade-model.ts';
import { TempoClient } from '../src/tempo-client.ts';
import { startPipelineTraffic } from './support/pipeline-traffic.ts';

const key = readFileSync(new URL('../../labs/lab2/solution/traceql.yaml', import.meta.url), 'utf8');

/** Answers files a learner may well write, each with the verdict and words some answers must get. */
const files: { name: string; text: string; expect: Record<string, RegExp> }[] = [
  {
    name: 'type errors Tempo refuses',
    text: `q-slow-db: '{ span.db.system = "postgresql" && duration > "500ms" }'\nq-errors: '{ status = "error" }'\nq-client-errors: '{ kind = "client" && status = error }'\n`,
    expect: {
      'q-slow-db': /duration takes a duration literal like 500ms/,
      'q-errors': /status takes error, ok or unset, without quotes/,
      'q-client-errors': /kind takes server, client/,
    },
  },
  {
    name: 'parse errors and a bad regex',
    text: `q-slow-db: '{ span.db.system = "postgresql" && duration > 500ms'\nq-root-api: '{ trace:rootService = api }'\nq-no-orphan-jobs: '{ name =~ "(" }'\nq-errors: "{ name = 'x' }"\n`,
    expect: {
      'q-slow-db': /invalid TraceQL, line 1/,
      'q-root-api': /unknown identifier/,
      'q-no-orphan-jobs': /regular expression/,
      'q-errors': /double quotes/,
    },
  },
  {
    name: 'a query only Tempo refuses (a comparison of two pipelines)',
    text: `q-n-plus-one: '({ span.db.system = "postgresql" } | count()) > ({ kind = server } | count())'\n`,
    expect: { 'q-n-plus-one': /Tempo refused the query|not yet supported|invalid TraceQL/ },
  },
  {
    name: 'metrics where a search is asked, and a search where metrics are',
    text: `q-slow-db: '{ span.db.system = "postgresql" } | rate()'\nq-stage-lead-time: '{ span.cicd.pipeline.task.name = "approval" }'\n`,
    expect: { 'q-slow-db': /metrics query/, 'q-stage-lead-time': /a search query/ },
  },
  {
    name: 'answers YAML reads as something else, and an unknown id',
    text: `q-errors: { status = error }\nq-root-api: [api]\nq-n-plus-one: 20\nq-slow-db:\nq-nope: '{ }'\n`,
    expect: {
      'q-errors': /put it in single quotes/,
      'q-root-api': /put it in single quotes/,
      'q-n-plus-one': /expected a TraceQL query for q-n-plus-one/,
      'q-slow-db': /expected a TraceQL query for q-slow-db/,
      'q-nope': /no question has the id "q-nope"/,
    },
  },
  {
    name: 'a 200 KB query and control characters',
    text: `q-errors: '{ ${Array.from({ length: 6000 }, (_, i) => `name = "n${i}"`).join(' || ')} }'\nq-root-api: "\\a{ trace:rootService = \\"api\\" }\\e[2J"\n`,
    expect: { 'q-errors': /./, 'q-root-api': /./ },
  },
];

describe('every TraceQL answer gets a verdict; exit 2 only when the run itself cannot go on', {
  timeout: 300_000,
}, () => {
  let tempo: TempoUnderTest;
  let stopPipeline: (() => void) | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dojo-verdicts-'));
  const state = mkdtempSync(join(tmpdir(), 'dojo-verdicts-state-'));
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    TEMPO_URL: tempo.tempoUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    DOJO_STATE_DIR: state,
    NO_COLOR: '1',
    ...extra,
  });
  const grade = async (text: string | Buffer | undefined, extra: NodeJS.ProcessEnv = {}) => {
    rmSync(join(dir, 'traceql.yaml'), { force: true });
    if (text !== undefined) writeFileSync(join(dir, 'traceql.yaml'), text);
    return runDojo(['grade', 'traceql', '--answers', dir, '--format', 'json'], env(extra));
  };

  before(async () => {
    tempo = await startTempo();
    // The lab's traffic the pipeline questions need; the shop questions have their designed traces.
    stopPipeline = await startPipelineTraffic(tempo.otlpHttpUrl, new TempoClient(tempo.tempoUrl));
  });
  after(async () => {
    stopPipeline?.();
    await tempo?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  test('the reference answers pass (exit 0); the grader finds the OTLP endpoint from TEMPO_URL', async () => {
    const r = await grade(key);
    assert.equal(r.code, 0, r.stderr || r.stdout.slice(0, 2000));
  });

  for (const f of files) {
    test(`${f.name}: each answer fails with a reason and a hint, exit 1`, async () => {
      const r = await grade(f.text);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const checks = new Map(
        (JSON.parse(r.stdout) as { grades: Grade[] }).grades
          .flatMap((g) => g.checks)
          .map((c): [string, Check] => [c.id, c]),
      );
      for (const [id, words] of Object.entries(f.expect)) {
        const c = checks.get(id);
        assert.ok(c, `${id}: no verdict`);
        assert.equal(c.verdict, 'fail', `${id}: ${c.found}`);
        assert.ok(c.hint, `${id}: no hint`);
        assert.match(`${c.found} ${c.hint}`, words, id);
      }
    });
  }

  test('exit 2: no answers file, a file that is not YAML, a binary file', async () => {
    for (const text of [undefined, 'q-errors: "{ status = error }\n', Buffer.from([0x89, 0x50, 0, 0x0d])]) {
      const r = await grade(text);
      assert.equal(r.code, 2, `${String(text)}: ${r.stdout.slice(0, 300)}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  test('exit 2: Tempo unreachable (valid answers are not graded), or its OTLP endpoint unreachable', async () => {
    // A port that was just free: nothing answers there.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const closed = `http://127.0.0.1:${port}`;
    const noTempo = await grade(key, { TEMPO_URL: closed });
    assert.equal(noTempo.code, 2, noTempo.stderr);
    assert.match(noTempo.stderr, /unreachable/);
    const noOtlp = await grade(key, { OTEL_EXPORTER_OTLP_ENDPOINT: closed });
    assert.equal(noOtlp.code, 2, noOtlp.stdout.slice(0, 300));
    assert.match(noOtlp.stderr, /^dojo: cannot send the grading traces to Tempo's OTLP endpoint/);
  });
});
