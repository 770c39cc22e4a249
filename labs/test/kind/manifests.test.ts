// Every manifest of the kind lab validates against the Kubernetes schemas, images are pinned to
// versions.json, and the configs in the cluster are the ones the local mode runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ports, renderTempoConfig, versions } from '@dojo/course';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { type K8sObject, nodePortFor, renderKindConfig, renderManifests } from '../../src/kind/manifests.ts';

const objects = renderManifests();
const models: Record<string, new (o: never) => { validate(): void }> = {
  Namespace,
  ConfigMap,
  Service,
  Deployment,
};
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const containers = (o: K8sObject) => [
  ...(o.spec.template.spec.initContainers ?? []),
  ...o.spec.template.spec.containers,
];

test('every manifest validates against the Kubernetes schema of its kind', () => {
  assert.ok(objects.length >= 20);
  for (const o of objects) {
    const Model = models[o.kind];
    assert.ok(Model, `no schema model for ${o.kind}`);
    assert.doesNotThrow(() => new Model(o as never).validate(), `${o.kind}/${o.metadata.name}`);
  }
});

test('a broken manifest is caught by the same validation (the check can fail)', () => {
  const broken = structuredClone(byKind('Deployment')[0]!);
  broken.spec.replicas = 'one';
  assert.throws(() => new Deployment(broken as never).validate());
});

test('every image is pinned, and is the one versions.json names', () => {
  const pinned = new Set(Object.values(versions.images));
  for (const d of byKind('Deployment')) {
    for (const c of containers(d)) {
      assert.doesNotMatch(c.image, /:latest$|^[^:]+$/, `${d.metadata.name} uses an unpinned image`);
      assert.ok(
        pinned.has(c.image) || c.image.startsWith('tracing-dojo/sample-app:'),
        `${c.image} is not in versions.json`,
      );
    }
  }
});

test('Tempo in the cluster runs the same config as the local mode, on a memory-backed emptyDir', () => {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tempo')!;
  assert.equal(cm.data['tempo.yaml'], renderTempoConfig({ mode: 'kind', dataDir: '/var/tempo' }));
  const local = parse(renderTempoConfig({ mode: 'local', dataDir: '/var/tempo' }));
  const kind = parse(cm.data['tempo.yaml']);
  delete local.server;
  delete kind.server;
  delete local.distributor;
  delete kind.distributor;
  assert.deepEqual(kind, local, 'only listen addresses may differ between the modes');
  const tempo = byKind('Deployment').find((d) => d.metadata.name === 'tempo')!;
  assert.equal(tempo.spec.strategy.type, 'Recreate');
  assert.deepEqual(
    tempo.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data').emptyDir.medium,
    'Memory',
  );
  assert.equal(tempo.spec.template.spec.securityContext.runAsUser, 10001);
});

test('every app tier reads its scenario from the dojo-scenario ConfigMap and exports to the Collector', () => {
  for (const name of ['web', 'api', 'payments', 'loadgen']) {
    const d = byKind('Deployment').find((o) => o.metadata.name === name)!;
    const env = Object.fromEntries(
      d.spec.template.spec.containers[0].env.map(
        (e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom],
      ),
    );
    assert.deepEqual(env.DOJO_SCENARIO, { configMapKeyRef: { name: 'dojo-scenario', key: 'DOJO_SCENARIO' } });
    assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://otel-collector:${ports.otlpHttp}`);
  }
});

test('requests fit an 8 GB laptop: the whole lab asks for under 1.5 GiB and one CPU', () => {
  const mib = (q: string) => (q.endsWith('Gi') ? Number.parseFloat(q) * 1024 : Number.parseFloat(q));
  const cpu = (q: string) => (q.endsWith('m') ? Number.parseFloat(q) / 1000 : Number.parseFloat(q));
  const all = byKind('Deployment').flatMap((d) => d.spec.template.spec.containers);
  const memory = all.reduce(
    (n: number, c: { resources: { requests: { memory: string } } }) => n + mib(c.resources.requests.memory),
    0,
  );
  const cores = all.reduce(
    (n: number, c: { resources: { requests: { cpu: string } } }) => n + cpu(c.resources.requests.cpu),
    0,
  );
  assert.ok(memory < 1536, `${memory} MiB requested`);
  assert.ok(cores <= 1, `${cores} CPUs requested`);
});

test('kind-config.yaml maps the lab ports to their NodePorts and is in step with the sources', () => {
  assert.equal(
    readFileSync(new URL('../../../kind-config.yaml', import.meta.url), 'utf8'),
    renderKindConfig(),
  );
  const config = parse(renderKindConfig());
  const mapped = new Map(
    config.nodes[0].extraPortMappings.map((m: { hostPort: number; containerPort: number }) => [
      m.hostPort,
      m.containerPort,
    ]),
  );
  for (const p of [ports.web, ports.grafana, ports.tempoHttp, ports.otlpGrpc, ports.otlpHttp])
    assert.equal(mapped.get(p), nodePortFor(p));
  const nodePorts = byKind('Service').flatMap((s) =>
    s.spec.ports.map((p: { nodePort?: number }) => p.nodePort).filter(Boolean),
  );
  for (const np of mapped.values()) assert.ok(nodePorts.includes(np), `no Service exposes NodePort ${np}`);
});

test('web reaches api through the netproxy sidecar in its pod, which reads the scenario like the tiers', () => {
  const web = byKind('Deployment').find((d) => d.metadata.name === 'web')!;
  const [app, proxy] = web.spec.template.spec.containers;
  const env = (c: K8sObject) =>
    Object.fromEntries(
      c.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
  assert.equal(proxy.name, 'netproxy');
  assert.equal(env(app).API_URL, `http://127.0.0.1:${ports.netproxy}`);
  assert.equal(env(proxy).API_URL, `http://api:${ports.api}`);
  assert.equal(env(proxy).PORT, String(ports.netproxy));
  assert.deepEqual(env(proxy).DOJO_SCENARIO, {
    configMapKeyRef: { name: 'dojo-scenario', key: 'DOJO_SCENARIO' },
  });
  assert.match(proxy.command.at(-1), /netproxy\/main\.ts$/);
  assert.ok(!proxy.command.includes('--import'), 'the network link emits no spans');
});

test('the delivery pipeline runs as its own workload, told by the scenario ConfigMap when a scenario went live', () => {
  const d = byKind('Deployment').find((o) => o.metadata.name === 'pipeline')!;
  assert.ok(d, 'no pipeline Deployment');
  const [c] = d.spec.template.spec.containers;
  assert.match(c.command.at(-1), /pipeline\/main\.ts$/);
  assert.ok(!c.command.includes('--import'), 'the emitter builds its own tracers (jenkins, argocd)');
  const env = Object.fromEntries(
    c.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]),
  );
  assert.deepEqual(env.DOJO_SCENARIO, {
    configMapKeyRef: { name: 'dojo-scenario', key: 'DOJO_SCENARIO', optional: false },
  });
  for (const key of ['DOJO_SCENARIO_SINCE', 'DOJO_PREVIOUS_SCENARIO', 'DOJO_PREVIOUS_SCENARIO_SINCE'])
    assert.deepEqual(env[key], { configMapKeyRef: { name: 'dojo-scenario', key, optional: true } });
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://otel-collector:${ports.otlpHttp}`);
  assert.ok(Number(env.PIPELINE_CHANGES_PER_MINUTE) > 0);
  const cm = (rollout?: Parameters<typeof renderManifests>[1]) =>
    renderManifests('healthy', rollout).find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'dojo-scenario',
    )!.data;
  assert.deepEqual(cm(), { DOJO_SCENARIO: 'healthy' });
  assert.deepEqual(cm({ since: 't2', previous: { id: 'slow-query', since: 't1' } }), {
    DOJO_SCENARIO: 'healthy',
    DOJO_SCENARIO_SINCE: 't2',
    DOJO_PREVIOUS_SCENARIO: 'slow-query',
    DOJO_PREVIOUS_SCENARIO_SINCE: 't1',
  });
});
