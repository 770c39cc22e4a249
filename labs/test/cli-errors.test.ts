// The dojo CLI's answers to bad input and to a lab that is not there: one line, exit 2, nothing started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { portsFor } from '@dojo/course';
import { dojoBin, type IsolatedLab, isolatedLab, runDojo } from '@dojo/labs/testing';

let lab: IsolatedLab;
before(async () => {
  lab = await isolatedLab();
});
after(async () => {
  await lab.cleanup();
});

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}

test('lab status with no lab running says how to start one and exits 2', async () => {
  const r = await runDojo(['lab', 'status'], lab.env);
  assert.equal(r.code, 2);
  assert.match(oneLine(r.stderr), /^dojo: the lab is not running; start it with `make lab-up`$/);
});

test('lab down with no lab running is not an error', async () => {
  const r = await runDojo(['lab', 'down'], lab.env);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /no local lab is running/);
});

test('an unknown scenario is refused before anything starts', async () => {
  const r = await runDojo(['lab', 'up', '--scenario', 'slowquery'], lab.env);
  assert.equal(r.code, 2);
  assert.match(oneLine(r.stderr), /unknown scenario "slowquery"; choose one of: healthy, /);
  assert.equal(existsSync(`${lab.stateDir}/supervisor.sock`), false);
});

test('scenario set on a lab that is not running exits 2', async () => {
  const r = await runDojo(['scenario', 'set', 'slow-query'], lab.env);
  assert.equal(r.code, 2);
  assert.match(oneLine(r.stderr), /the lab is not running/);
});

test('a Tempo binary that does not exist stops lab up before any process starts', async () => {
  const r = await runDojo(['lab', 'up', '--no-load'], { ...lab.env, DOJO_TEMPO_BIN: '/nonexistent/tempo' });
  assert.equal(r.code, 2);
  assert.match(oneLine(r.stderr), /DOJO_TEMPO_BIN=\/nonexistent\/tempo is not an executable file/);
  assert.deepEqual(existsSync(lab.stateDir) ? readdirSync(lab.stateDir) : [], []);
});

test('a taken lab port is named, and lab up starts nothing', async () => {
  const web = portsFor(lab.env).web;
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(web, '127.0.0.1', () => r()));
  try {
    const r = await runDojo(['lab', 'up', '--no-load'], { ...lab.env, DOJO_TEMPO_BIN: '/bin/true' });
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), new RegExp(`port ${web} \\(web\\) is already in use`));
    assert.equal(existsSync(`${lab.stateDir}/supervisor.sock`), false);
  } finally {
    blocker.close();
  }
});

test('unknown commands and bad flags get one line and exit 2', async () => {
  for (const args of [
    ['lab', 'fly'],
    ['lab', 'up', '--rps', 'fast'],
    ['lab', 'up', '--mode', 'swarm'],
    ['--bogus'],
  ]) {
    const r = await runDojo(args, lab.env);
    assert.equal(r.code, 2, `dojo ${args.join(' ')} exited ${r.code}`);
    assert.match(oneLine(r.stderr), /^dojo: /);
  }
});

test('output piped into a reader that stops early (dojo … | head) ends quietly with exit 0', async () => {
  const child = spawn(process.execPath, [dojoBin, 'scenario', 'list', '--json'], {
    env: lab.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader is gone before the command writes a line, as with `| head -1` on a long listing.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
