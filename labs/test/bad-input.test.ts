// Every bad input in the table (support/bad-input/) is fed to the real `dojo` CLI, against real
// wrong servers on ephemeral ports. For each: the exit code, one stderr line naming the problem and the
// fix, no stack trace or raw control character, nothing left half-started and no file changed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { portsFor } from '@dojo/course';
import { portIsFree } from '../src/port-guard.ts';
import type { Case } from './support/bad-input/case.ts';
import { cliCases } from './support/bad-input/cli-cases.ts';
import { gradeCases } from './support/bad-input/grade-cases.ts';
import { startWrongServers, type WrongServers } from './support/wrong-servers.ts';

const cases = [...cliCases, ...gradeCases];
const dojo = fileURLToPath(new URL('../bin/dojo.js', import.meta.url));
let servers: WrongServers;

before(async () => {
  servers = await startWrongServers();
});
after(async () => {
  await servers.close();
});

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [dojo, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Every file under dir with a hash of its content: "nothing lost" means this is the same after the run. */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      into.set(path, 'folder');
      snapshot(path, into);
    } else into.set(path, createHash('sha1').update(readFileSync(path)).digest('hex'));
  }
  return into;
}

/**
 * A port offset per case whose every lab port is free right now, so cases run side by side and never
 * meet another lab on this machine (the test harness's offsets, 12000-22900, overlap these, hence the
 * probe). Taken in turn, not at random, so the cases running at once get different offsets; 10000-19900
 * keeps every lab port under the ephemeral range (32768+), where the OS hands out ports to any connection.
 */
let slot = process.pid % 100;
async function freeOffset(): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    slot = (slot + 1) % 100;
    const offset = String(10_000 + slot * 100);
    const ports = Object.values(portsFor({ DOJO_PORT_OFFSET: offset }));
    if ((await Promise.all(ports.map((p) => portIsFree(p)))).every(Boolean)) return offset;
  }
  throw new Error('no port offset with every lab port free');
}

async function runCase(c: Case) {
  const cwd = mkdtempSync(join(tmpdir(), 'dojo-bad-input-'));
  const stateDir = join(cwd, '.state');
  const offset = await freeOffset();
  try {
    for (const [path, content] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      if (content === null) mkdirSync(join(cwd, path));
      else writeFileSync(join(cwd, path), content);
    }
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
    Object.assign(env, { DOJO_STATE_DIR: stateDir, DOJO_PORT_OFFSET: offset });
    if (c.server) env.TEMPO_URL = servers.url[c.server];
    Object.assign(env, c.env);
    const ports = portsFor({ DOJO_PORT_OFFSET: offset });
    const blocker = createServer();
    if (c.blockPort) await new Promise<void>((r) => blocker.listen(ports[c.blockPort!], '127.0.0.1', r));
    const before = snapshot(cwd);
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(c.args, cwd, env);
    } finally {
      if (c.blockPort) await new Promise((r) => blocker.close(r));
    }
    const shown = `dojo ${c.args.join(' ')}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
    assert.equal(r.code, c.code, `exit code\n${shown}`);
    const lines = r.stderr.split('\n').filter(Boolean);
    if (c.err) {
      assert.equal(lines.length, 1, `one line on stderr\n${shown}`);
      assert.ok(lines[0]!.startsWith('dojo: '), shown);
      assert.match(lines[0]!.slice('dojo: '.length), c.err, shown);
      assert.ok(lines[0]!.length < 400, `a short line (${lines[0]!.length} characters)`);
    } else assert.equal(r.stderr, '', shown);
    if (c.out) assert.match(r.stdout, c.out, shown);
    const all = r.stdout + r.stderr;
    assert.doesNotMatch(all, /^\s+at .+[:(]\d+/m, `a stack trace\n${shown}`);
    assert.doesNotMatch(all, /node:internal|\w+Error: /, `an error dump\n${shown}`);
    assert.doesNotMatch(all.replace(/\n/g, ''), /[\u0000-\u001f\u007f]/, `a raw control character\n${shown}`);
    // Nothing half-started: no supervisor, every lab port free (the blocker's is closed by now).
    assert.ok(!existsSync(join(stateDir, 'supervisor.sock')), 'a supervisor socket was left');
    assert.ok(!existsSync(join(stateDir, 'supervisor.pid')), 'a supervisor pid file was left');
    for (const [name, port] of Object.entries(ports))
      assert.ok(await portIsFree(port), `port ${port} (${name}) was left taken`);
    // Nothing lost: every file there before is there after, unchanged, and nothing new appeared.
    const afterRun = snapshot(cwd);
    afterRun.delete(stateDir);
    for (const path of afterRun.keys()) if (path.startsWith(`${stateDir}/`)) afterRun.delete(path);
    assert.deepEqual(afterRun, before, 'files changed, appeared or went missing');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test('the table holds at least 60 bad inputs, each named once', () => {
  assert.ok(cases.length >= 60, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

describe('bad input gets one line, an exit code and no damage', { concurrency: 3 }, () => {
  for (const c of cases) test(c.name, () => runCase(c));
});
