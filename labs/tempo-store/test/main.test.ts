// The store as a child process, as the lab's supervisor runs it: one ready line naming its URLs, a clean
// exit on SIGTERM, and one line with exit code 2 when it cannot start.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
}

async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  for await (const chunk of child.stdout!) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  return out.split('\n')[0]!;
}

async function finish(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (c) => {
    stderr += c;
  });
  const [code] = await once(child, 'exit');
  return { code, stderr };
}

test('prints one ready line with its URLs, serves, and exits 0 on SIGTERM', async () => {
  const child = run(['--http-port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0']);
  const line = await firstLine(child);
  const m = /^tempo-store ready (\{.*\})$/.exec(line);
  assert.ok(m, `unexpected ready line: ${line}`);
  const urls = JSON.parse(m[1]!);
  assert.equal(urls.pid, child.pid);
  assert.equal((await fetch(`${urls.tempo}/ready`)).status, 200);
  assert.equal((await fetch(`${urls.otlpHttp}/v1/traces`, { method: 'POST' })).status, 415);
  child.kill('SIGTERM');
  assert.equal((await finish(child)).code, 0);
});

test('a bad flag or offset is one line and exit 2', async () => {
  for (const [args, env, reason] of [
    [['--http-port', 'x'], {}, /--http-port "x" is not a port/],
    [['--max-bytes', 'lots'], {}, /--max-bytes "lots" is not a size/],
    [['--nope'], {}, /Unknown option '--nope'/],
    [[], { DOJO_PORT_OFFSET: '-1' }, /DOJO_PORT_OFFSET must be a whole number/],
  ] as const) {
    const { code, stderr } = await finish(run([...args], env));
    assert.equal(code, 2);
    assert.match(stderr, reason);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  }
});

test('a port in use is one line naming the fix, exit 2', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = String((blocker.address() as { port: number }).port);
  try {
    const { code, stderr } = await finish(
      run(['--http-port', port, '--otlp-http-port', '0', '--otlp-grpc-port', '0']),
    );
    assert.equal(code, 2);
    assert.match(stderr, /^tempo-store: a port the store needs is in use .*set DOJO_PORT_OFFSET\n$/);
  } finally {
    blocker.close();
  }
});
