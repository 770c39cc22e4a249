// Smoke runs of the benchmarks that read traces (visibility, grading wall time, class scale), each with a
// tiny workload against an isolated lab and its Tempo (the lab's store, or a real Tempo with
// DOJO_TEMPO_BIN): they must run to the end and report figures, so `npm run bench` cannot rot unseen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type IsolatedLab, isolatedLab, runDojo, tempoUnderTest } from '@dojo/labs/testing';

const bench = (name: string) => fileURLToPath(new URL(`../../bench/${name}`, import.meta.url));

function runBench(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bench(name), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

describe(`benchmark smoke runs on a lab with ${tempoUnderTest()}`, { timeout: 600_000 }, () => {
  let lab: IsolatedLab;

  before(async () => {
    lab = await isolatedLab();
    // n-plus-one: its reference (> 20 queries in one trace) is met by every product page of the load,
    // so the grading benchmark finds its evidence trace quickly.
    const up = await runDojo(['lab', 'up', '--scenario', 'n-plus-one', '--rps', '4'], lab.env);
    assert.equal(up.code, 0, `lab up failed: ${up.stderr}`);
  });

  after(async () => {
    await lab?.cleanup();
  });

  test('bench:visibility finds every trace by id and by search', async () => {
    const r = await runBench('visibility.ts', ['--requests', '4'], lab.env);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /by id {6}p50 .* not found 0/);
    assert.match(r.out, /by search {2}p50 .* not found 0/);
  });

  test('bench:grading grades the reference answers and tells not gradable from could not grade', async () => {
    const r = await runBench('grading.ts', ['--runs', '1'], lab.env);
    assert.equal(r.code, 0, r.out);
    assert.match(
      r.out,
      /dojo grade all +median .*\(\d+ passed, \d+ failed, \d+ not gradable in this scenario/,
    );
    assert.match(r.out, /dojo grade instrumentation +median .*\(\d+ passed/);
  });

  test('bench:class pushes a one-learner class and loses nothing', async () => {
    const r = await runBench(
      'class-scale.ts',
      ['--learners', '1', '--seconds', '2', '--sample', '20'],
      lab.env,
    );
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, / 0 failed, ([1-9]\d*)\/\1 sampled traces complete/);
    assert.match(r.out, /holds\n/);
  });
});
