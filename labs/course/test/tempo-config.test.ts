import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ports, renderTempoConfig } from '@dojo/course';
import { parse } from 'yaml';

type Config = Record<string, Record<string, unknown>>;
const local = parse(renderTempoConfig({ mode: 'local', dataDir: '/tmp/lab-x/tempo' })) as Config;
const kind = parse(renderTempoConfig({ mode: 'kind', dataDir: '/var/tempo' })) as Config;

test('the local Tempo listens on loopback only, on the lab ports', () => {
  const server = local.server as Record<string, unknown>;
  assert.equal(server.http_listen_address, '127.0.0.1');
  assert.equal(server.http_listen_port, ports.tempoHttp);
  const otlp = (
    local.distributor as { receivers: { otlp: { protocols: Record<string, { endpoint: string }> } } }
  ).receivers.otlp.protocols;
  assert.equal(otlp.grpc?.endpoint, `127.0.0.1:${ports.otlpGrpc}`);
  assert.equal(otlp.http?.endpoint, `127.0.0.1:${ports.otlpHttp}`);
});

test('on kind the same config listens on every interface of the pod', () => {
  assert.equal((kind.server as Record<string, unknown>).http_listen_address, '0.0.0.0');
  assert.deepEqual(Object.keys(kind).sort(), Object.keys(local).sort());
});

test('every path Tempo writes lives under the lab data dir, none under /var/tempo by default', () => {
  const text = renderTempoConfig({ mode: 'local', dataDir: '/tmp/lab-x/tempo' });
  const paths = [...text.matchAll(/(?:path|dir): (\S+)/g)].map((m) => m[1]!);
  assert.ok(paths.length >= 5, `expected ≥ 5 data paths, found ${paths.length}`);
  for (const p of paths) assert.ok(p.startsWith('/tmp/lab-x/tempo/'), `${p} escapes the data dir`);
  assert.doesNotMatch(text, /\$\{/, 'a placeholder was left unfilled');
});

test('the config is Tempo 3: no 2.x ingester/compactor blocks, search sees the newest traces, no usage report', () => {
  assert.equal(local.ingester, undefined);
  assert.equal(local.compactor, undefined);
  assert.equal((local.query_frontend as Record<string, unknown>).query_end_cutoff, '0s');
  assert.equal((local.usage_report as Record<string, unknown>).reporting_enabled, false);
  const live = local.live_store as Record<string, unknown>;
  assert.equal((live.ring as Record<string, unknown>).instance_addr, '127.0.0.1');
  assert.equal(live.max_trace_idle, '1s');
});

test('a relative data dir is refused', () => {
  assert.throws(() => renderTempoConfig({ mode: 'local', dataDir: 'tempo-data' }), /must be absolute/);
});
