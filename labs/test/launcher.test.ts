// The `dojo` launcher on a machine whose Node is older than .nvmrc's: it finds (or fetches) the right Node
// through .ci/ensure-node.sh and runs the CLI under it, passing exit codes back.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dojo = join(root, 'labs/bin/dojo.js');
const wantedMajor = Number(readFileSync(join(root, '.nvmrc'), 'utf8').trim().split('.')[0]);

/** A Node on this machine older than .nvmrc's (the system's /usr/bin/node on our build machines). */
function olderNode(): string | undefined {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node'];
  try {
    candidates.push(...execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n'));
  } catch {
    // no `node` on PATH besides the one running the tests
  }
  for (const path of candidates.filter(Boolean)) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(version.replace(/^v/, '').split('.')[0]) < wantedMajor) return path;
    } catch {
      // not there, or not runnable
    }
  }
  return undefined;
}

const old = olderNode();
const skip = old ? false : `no Node older than ${wantedMajor} on this machine`;
// PATH as a learner with only the old Node has it: its `node` and `npx` come first.
const oldPath = old ? `${dirname(old)}:/usr/bin:/bin` : '';
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: oldPath, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });

test('dojo --help works when started by an old Node', { skip }, () => {
  const r = run(old!, [dojo, '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: dojo <command>/);
  assert.equal(r.stderr, '');
});

test('npx dojo --help works with the old Node first on PATH', { skip }, () => {
  const r = run('npx', ['--no-install', 'dojo', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: dojo <command>/);
});

test('the CLI run under the fetched Node passes its exit code and one-line error back', { skip }, () => {
  const r = run(old!, [dojo, 'fly']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^dojo: unknown command "fly"; run `dojo --help`[^\n]*\n$/);
});

test('a Node that cannot be fetched gets one line naming the fix', { skip }, () => {
  // A PATH with the old Node and the shell tools ensure-node.sh uses, but no npm to fetch with.
  const bin = mkdtempSync(join(tmpdir(), 'dojo-no-npm-'));
  try {
    symlinkSync(old!, join(bin, 'node'));
    for (const tool of ['bash', 'dirname', 'tr', 'sed', 'mktemp', 'rm', 'tar', 'mkdir']) {
      const path = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(path, join(bin, tool));
    }
    const cache = join(bin, 'cache');
    mkdirSync(cache);
    const r = run(join(bin, 'node'), [dojo, '--help'], { PATH: bin, XDG_CACHE_HOME: cache });
    assert.equal(r.status, 2);
    const lines = r.stderr.trim().split('\n');
    assert.match(
      lines.at(-1)!,
      /^dojo: Node v?\d+\.\d+\.\d+ is too old and Node \d+\.\d+\.\d+ could not be fetched \(.*npm.*\); install Node/,
    );
    assert.ok(
      lines.every((l) => l.startsWith('dojo:') || l.startsWith('›')),
      r.stderr,
    );
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
