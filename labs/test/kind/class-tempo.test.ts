// The class Tempo's manifests (real Tempo 3, microservices mode, multi-tenant) validated like the lab's: each
// object against its Kubernetes schema, and all of them applied to a real kube-apiserver with strict field
// validation; the Tempo config holds together (tenants on, Tempo 3 keys only, the ring, Kafka partitions,
// the lab's own visibility timings); every container has requests and limits, summed for the docs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ports, renderTempoConfig, versions } from '@dojo/course';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import {
  classNamespace,
  classTempoSize,
  renderClassTempo,
  renderClassTempoConfig,
} from '../../src/kind/class-tempo.ts';
import { KubeClient } from '../../src/kind/k8s-http.ts';
import type { K8sObject } from '../../src/kind/manifests.ts';
import { type ApiServer, apiServerUnavailable, startApiServer } from './support/api-server.ts';

const objects = renderClassTempo();
const models: Record<string, new (o: never) => { validate(): void }> = {
  Namespace,
  ConfigMap,
  Service,
  Deployment,
  StatefulSet,
  Job,
};
const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document, read field by field below.
const config = parse(renderClassTempoConfig()) as Record<string, any>;

test('every object validates against the Kubernetes schema of its kind; a broken one does not', () => {
  for (const o of objects) {
    const Model = models[o.kind];
    assert.ok(Model, `no schema model for ${o.kind}`);
    assert.doesNotThrow(() => new Model(o as never).validate(), `${o.kind}/${o.metadata.name}`);
  }
  const broken = structuredClone(objects.find((o) => o.kind === 'StatefulSet')!);
  broken.spec.serviceName = 7;
  assert.throws(() => new StatefulSet(broken as never).validate());
});

test('real Tempo, pinned, in microservices mode: each component its own workload, one -target each', () => {
  const targets = new Set<string>();
  for (const w of workloads)
    for (const c of w.spec.template.spec.containers) {
      assert.ok(Object.values(versions.images).includes(c.image), `${c.image} is not in versions.json`);
      const target = (c.args ?? []).find((a: string) => a.startsWith('-target='));
      if (target) targets.add(target.slice('-target='.length));
    }
  assert.ok(!targets.has('all'));
  assert.deepEqual([...targets].sort(), [
    'backend-scheduler',
    'backend-worker',
    'block-builder',
    'distributor',
    'live-store',
    'querier',
    'query-frontend',
  ]);
});

test('the config: a tenant per learner, Tempo 3 keys only, the lab’s own visibility timings', () => {
  assert.equal(config.multitenancy_enabled, true);
  for (const old of ['ingester', 'compactor', 'overrides_config'])
    assert.ok(!(old in config), `Tempo 2 key ${old}`);
  const lab = parse(renderTempoConfig({ mode: 'kind', dataDir: '/var/tempo' }));
  for (const k of ['max_trace_idle', 'max_trace_live', 'flush_check_period'])
    assert.equal(config.live_store[k], lab.live_store[k], k);
  assert.equal(config.query_frontend.query_end_cutoff, '0s');
  // One Kafka partition per block-builder, each assigned to the pod of that ordinal.
  assert.deepEqual(config.block_builder.assigned_partitions, {
    'block-builder-0': [0],
    'block-builder-1': [1],
  });
  const job = objects.find((o) => o.kind === 'Job')!;
  assert.ok(
    job.spec.template.spec.containers[0].command.includes(`--partitions=${classTempoSize.partitions}`),
  );
  assert.throws(() => renderClassTempo({ ...classTempoSize, partitions: 3 }), /partitions must equal/);
});

test('every address in the config is a Service of the manifests, on the port it serves', () => {
  const services = new Map(objects.filter((o) => o.kind === 'Service').map((s) => [s.metadata.name, s]));
  const serves = (name: string, port: number) =>
    assert.ok(
      services.get(name)?.spec.ports.some((p: { port: number }) => p.port === port),
      `no Service ${name} on ${port}`,
    );
  serves('redpanda', Number(config.ingest.kafka.address.split(':')[1]));
  serves('minio', Number(config.storage.trace.s3.endpoint.split(':')[1]));
  serves('query-frontend', Number(config.querier.frontend_worker.frontend_address.split(':')[1]));
  serves('backend-scheduler', Number(config.backend_worker.backend_scheduler_addr.split(':')[1]));
  serves('distributor', ports.otlpHttp);
  // Every Tempo pod joins the gossip ring that the join address resolves.
  const ring = services.get('tempo-gossip-ring')!;
  assert.match(
    config.memberlist.join_members[0],
    new RegExp(`^dns\\+tempo-gossip-ring\\.${classNamespace}\\.`),
  );
  for (const w of workloads.filter((x) => x.spec.template.spec.containers[0].image === versions.images.tempo))
    for (const [k, v] of Object.entries(ring.spec.selector))
      assert.equal(w.spec.template.metadata.labels[k], v, `${w.metadata.name} is not in the ring`);
});

/** Kubernetes quantities to cores and MiB. */
const cores = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
const mib = (q: string) => (q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2)));

test('every container asks for CPU and memory and is capped; the sums are the ones the docs give', () => {
  let cpu = 0;
  let memory = 0;
  let limit = 0;
  for (const w of workloads.filter((x) => x.kind !== 'Job')) {
    for (const c of w.spec.template.spec.containers) {
      assert.ok(
        c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory,
        w.metadata.name,
      );
      cpu += cores(c.resources.requests.cpu) * w.spec.replicas;
      memory += mib(c.resources.requests.memory) * w.spec.replicas;
      limit += mib(c.resources.limits.memory) * w.spec.replicas;
    }
  }
  const figure = `${cpu.toFixed(2)} CPU and ${(memory / 1024).toFixed(1)} GiB requested, ${(limit / 1024).toFixed(1)} GiB at the limits`;
  // A learner edition withholds docs/architecture.md (it says how each fault is built); the source checks it.
  const docsUrl = new URL('../../../docs/architecture.md', import.meta.url);
  if (existsSync(docsUrl)) {
    const docs = readFileSync(docsUrl, 'utf8');
    assert.ok(docs.includes(figure), `docs/architecture.md should say: ${figure}`);
  }
});

const skip = apiServerUnavailable();
describe('applied to a real kube-apiserver, strict field validation', { skip, timeout: 240_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer();
  });
  after(async () => {
    await api?.stop();
  });
  test('every object is accepted and reads back as sent', async () => {
    const client = new KubeClient(api.kubeConfig);
    for (const o of objects) await client.apply(o);
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
      const back = await client.get<K8sObject>(o.kind, o.metadata.name, classNamespace);
      assert.ok(back, `${o.kind}/${o.metadata.name} is not there`);
      if (o.spec?.replicas !== undefined) assert.equal(back.spec.replicas, o.spec.replicas);
    }
    const cm = await client.get<K8sObject>('ConfigMap', 'tempo-class', classNamespace);
    assert.equal(cm!.data['tempo.yaml'], renderClassTempoConfig());
  });
});
