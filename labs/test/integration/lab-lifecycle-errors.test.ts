// Bad input against a running lab: started twice, started with another scenario, a second lab on the
// same ports, a scenario switched while another switch runs, stopped twice. Each gets its exit code and
// one line, and the running lab is left as it was. The lab exports to a small OTLP sink (--external-tempo).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { labPaths, portsFor } from '@dojo/course';
import { type IsolatedLab, isolatedLab, runDojo, until } from '@dojo/labs/testing';
import { readStatus } from '../../src/local/supervisor-client.ts';
import { portIsFree } from '../../src/port-guard.ts';

let sink: Server;
let lab: IsolatedLab;
let sinkEnv: NodeJS.ProcessEnv;

before(async () => {
  // Accepts every OTLP/HTTP export and says ready: enough of a Tempo for the tiers to run.
  sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': req.url === '/ready' ? 'text/plain' : 'application/json' });
      res.end(req.url === '/ready' ? 'ready' : '{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  sinkEnv = { TEMPO_URL: url, OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
  lab = await isolatedLab(sinkEnv);
});

after(async () => {
  await lab.cleanup();
  sink.closeAllConnections();
  await new Promise((r) => sink.close(r));
});

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.ok(lines[0]!.startsWith('dojo: '), stderr);
  return lines[0]!;
}

const up = (extra: string[] = [], env = lab.env) =>
  runDojo(['lab', 'up', '--external-tempo', '--no-load', ...extra], env);
const status = () => readStatus(labPaths(lab.env));

describe('a running lab meets bad input', { timeout: 300_000 }, () => {
  let supervisorPid = 0;

  test('the lab starts', async () => {
    const r = await up();
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    supervisorPid = (await status())!.pid;
  });

  test('started twice: nothing to start, the same lab keeps running', async () => {
    const r = await up();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /the lab is already running \(scenario healthy\); nothing to start/);
    assert.equal(r.stderr, '');
    assert.equal((await status())?.pid, supervisorPid);
  });

  test('started again with another scenario: says how to switch, and switches nothing', async () => {
    const r = await up(['--scenario', 'slow-query']);
    assert.equal(r.code, 2);
    assert.match(
      oneLine(r.stderr),
      /^dojo: the lab is already running scenario healthy; switch with `dojo scenario set slow-query`, or stop it first/,
    );
    const after = await status();
    assert.equal(after?.scenario, 'healthy');
    assert.equal(after?.pid, supervisorPid);
  });

  test('a second lab on the same ports is refused before it starts anything', async () => {
    // Its own state dir (so it cannot see the first lab's supervisor), the first lab's ports.
    const second = await isolatedLab({ ...sinkEnv, DOJO_PORT_OFFSET: String(lab.offset) });
    assert.notEqual(second.stateDir, lab.stateDir);
    try {
      const r = await up([], second.env);
      assert.equal(r.code, 2);
      assert.match(oneLine(r.stderr), /^dojo: port \d+ \(\w+\) is already in use; free it/);
      assert.equal(existsSync(labPaths(second.env).socket), false);
      assert.equal((await status())?.phase, 'running');
    } finally {
      await second.cleanup();
    }
  });

  test('a scenario switch while another runs is refused; the first one finishes', async () => {
    const first = runDojo(['scenario', 'set', 'slow-query'], lab.env);
    await until('the first switch to start', async () =>
      (await status())?.phase === 'switching' ? true : undefined,
    );
    const second = await runDojo(['scenario', 'set', 'n-plus-one'], lab.env);
    assert.equal(second.code, 2);
    assert.match(
      oneLine(second.stderr),
      /^dojo: scenario switch failed: the lab is switching; try again when it is running$/,
    );
    const done = await first;
    assert.equal(done.code, 0, done.stderr);
    const after = await status();
    assert.equal(after?.scenario, 'slow-query');
    assert.equal(after?.phase, 'running');
  });

  test('stopped twice: the second stop finds nothing to stop and is not an error', async () => {
    const once = await runDojo(['lab', 'down'], lab.env);
    assert.equal(once.code, 0, once.stderr);
    const twice = await runDojo(['lab', 'down'], lab.env);
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stdout, /no local lab is running/);
    assert.equal(twice.stderr, '');
    assert.equal(existsSync(labPaths(lab.env).socket), false);
    for (const [name, port] of Object.entries(portsFor(lab.env)))
      assert.ok(await portIsFree(port), `port ${port} (${name}) still taken`);
  });
});
