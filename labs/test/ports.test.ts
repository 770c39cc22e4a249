import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { portsFor, tempoUrl, UserError } from '@dojo/course';
import { assertPortsFree, portIsFree } from '../src/port-guard.ts';

test('the design ports are the defaults: web 8080, Tempo 3200, OTLP 4317/4318, Grafana 3000', () => {
  const p = portsFor({});
  assert.deepEqual([p.web, p.tempoHttp, p.otlpGrpc, p.otlpHttp, p.grafana], [8080, 3200, 4317, 4318, 3000]);
  assert.equal(tempoUrl({}), 'http://localhost:3200');
});

test('DOJO_PORT_OFFSET moves every port together, and TEMPO_URL follows', () => {
  const p = portsFor({ DOJO_PORT_OFFSET: '20000' });
  assert.equal(p.web, 28080);
  assert.equal(p.postgres, portsFor({}).postgres + 20000);
  assert.equal(tempoUrl({ DOJO_PORT_OFFSET: '20000' }), 'http://localhost:23200');
  assert.throws(() => portsFor({ DOJO_PORT_OFFSET: 'lots' }), /DOJO_PORT_OFFSET must be a whole number/);
});

test('a port already taken is named in one line with what it is for', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as { port: number }).port;
  try {
    assert.equal(await portIsFree(taken), false);
    await assert.rejects(assertPortsFree({ web: taken }, ['web']), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, new RegExp(`^port ${taken} \\(web\\) is already in use`));
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  } finally {
    blocker.close();
  }
});
