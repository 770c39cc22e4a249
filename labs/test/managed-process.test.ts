import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lastReason, ManagedProcess } from '../src/local/managed-process.ts';

test('the reason a tier stopped is its one-line error or the crash message, never the stack', () => {
  assert.equal(
    lastReason('api: OTEL_TRACES_SAMPLER=bogus is not one of always_on, always_off\n'),
    'api: OTEL_TRACES_SAMPLER=bogus is not one of always_on, always_off',
  );
  const crash = [
    'file:///app/sample-app/src/api/main.ts:18',
    '          ^',
    '',
    'Error: connect ECONNREFUSED 127.0.0.1:5433',
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1637:16) {',
    "  code: 'ECONNREFUSED'",
    '}',
    '',
    'Node.js v24.21.0',
  ].join('\n');
  assert.equal(lastReason(crash), 'Error: connect ECONNREFUSED 127.0.0.1:5433');
  assert.equal(lastReason('    at somewhere (file.ts:1:1)\nNode.js v24.21.0\n'), undefined);
});

test('a tier that exits while starting is reported with its reason, and its output is in the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dojo-managed-'));
  try {
    const tier = new ManagedProcess({
      name: 'api',
      command: process.execPath,
      args: ['-e', "console.log('starting'); console.error('api: DATABASE_URL is not set'); process.exit(2)"],
      env: process.env,
      cwd: dir,
      logFile: join(dir, 'api.log'),
      ready: async () => false,
    });
    await assert.rejects(
      tier.start(10_000),
      /^Error: api exited with code 2 while starting \(api: DATABASE_URL is not set\); see /,
    );
    tier.closeLog();
    await new Promise((r) => setTimeout(r, 50));
    assert.match(readFileSync(join(dir, 'api.log'), 'utf8'), /starting\napi: DATABASE_URL is not set/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
