// A tier started with a wrong setting stops before it listens: one line naming the variable, exit code 2.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { tierEntrypoints } from '@dojo/sample-app';

async function start(tier: keyof typeof tierEntrypoints, env: Record<string, string>) {
  const child = spawn(process.execPath, [tierEntrypoints[tier]], {
    env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise((r) => child.once('exit', r));
  return { code, stderr };
}

test('an unknown scenario or a bad number stops the tier with one line', async () => {
  for (const [tier, env, message] of [
    ['api', { DOJO_SCENARIO: 'no-such' }, /^api: unknown scenario "no-such"; choose one of: healthy, /],
    ['web', { DOJO_SCENARIO: 'slowquery' }, /^web: unknown scenario "slowquery"/],
    ['loadgen', { LOADGEN_RPS: '-1' }, /^loadgen: LOADGEN_RPS must be a positive number, got "-1"/],
    ['payments', { PORT: 'x' }, /^payments: PORT must be a positive number, got "x"/],
  ] as const) {
    const { code, stderr } = await start(tier, env);
    assert.equal(code, 2, `${tier}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  }
});
