// The kind path's Kubernetes code against a real API server (etcd + kube-apiserver). There is no kubelet
// here, so no pod ever starts: rollouts are observed as the object changes that trigger them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findScenario, UserError } from '@dojo/course';
import { KubeClient, objectPath } from '../../src/kind/k8s-http.ts';
import { KindLab } from '../../src/kind/kind-cluster-lab.ts';
import { applyAll, kindLabStatus, waitForRollouts } from '../../src/kind/kind-lab.ts';
import { type K8sObject, namespace, renderManifests, scenarioConfigMap } from '../../src/kind/manifests.ts';
import {
  activeScenario,
  kindScenarioReset,
  kindScenarioSet,
  restartAnnotation,
  switchScenario,
} from '../../src/kind/scenario-switch.ts';
import { type ApiServer, apiServerUnavailable, startApiServer } from './support/api-server.ts';

const skip = apiServerUnavailable();
const quiet = () => {};
type Deployment = K8sObject & {
  metadata: { generation: number };
  spec: { template: { metadata: { annotations?: Record<string, string> } } };
};

describe('kind path against a real kube-apiserver (no kubelet, so no pods)', {
  skip,
  timeout: 300_000,
}, () => {
  let api: ApiServer;
  let client: KubeClient;
  const deployment = async (name: string) => (await client.get<Deployment>('Deployment', name, namespace))!;

  /** What the Deployment controller and kubelet would report once a rollout is done (neither runs here). */
  const markRolledOut = async (name: string) => {
    const d = await deployment(name);
    const status = { observedGeneration: d.metadata.generation, replicas: 1, updatedReplicas: 1 };
    const res = await client.call(
      'PATCH',
      `${objectPath('Deployment', name, namespace)}/status`,
      { status: { ...status, readyReplicas: 1, availableReplicas: 1 } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200, `status of ${name}: HTTP ${res.status}`);
  };
  const until = async (what: string, condition: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const fast = { pollMs: 50, reportEveryMs: 200 };

  before(async () => {
    api = await startApiServer();
    client = new KubeClient(api.kubeConfig);
  });
  after(async () => {
    await api?.stop();
  });

  test('server-side apply with strict field validation accepts every manifest of the lab', async () => {
    const objects = renderManifests();
    await applyAll(client, objects, quiet);
    for (const o of objects) {
      const stored = await client.get(o.kind, o.metadata.name, o.metadata.namespace);
      assert.ok(stored, `${o.kind}/${o.metadata.name} was not stored`);
    }
    const web = await client.get<{ spec: { ports: { nodePort: number }[] } }>('Service', 'web', namespace);
    assert.equal(web!.spec.ports[0]!.nodePort, 30080);
  });

  test('applying the same manifests again changes nothing (idempotent lab up)', async () => {
    const before = await deployment('api');
    await applyAll(client, renderManifests(), quiet);
    const after = await deployment('api');
    assert.equal(after.metadata.generation, before.metadata.generation);
  });

  test('a misspelt field is rejected by strict validation instead of being ignored', async () => {
    const broken = structuredClone(
      renderManifests().find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!,
    );
    broken.spec.replicaz = 2;
    await assert.rejects(
      client.apply(broken),
      (e: unknown) => e instanceof UserError && /unknown field|replicaz/i.test(e.message),
    );
  });

  test('scenario set patches the ConfigMap and restarts the four tiers and the pipeline but not Tempo (observed as new pod-template annotations)', async () => {
    const tempoBefore = (await deployment('tempo')).metadata.generation;
    const webBefore = (await deployment('web')).metadata.generation;
    const result = await switchScenario(client, findScenario('slow-query'), {
      reset: false,
      progress: quiet,
    });
    assert.deepEqual(result.restarted, ['payments', 'api', 'web', 'loadgen', 'pipeline']);
    assert.equal(await activeScenario(client), 'slow-query');
    const web = await deployment('web');
    assert.equal(web.metadata.generation, webBefore + 1);
    assert.ok(web.spec.template.metadata.annotations?.[restartAnnotation]);
    assert.equal((await deployment('tempo')).metadata.generation, tempoBefore);
  });

  test('scenario reset also restarts Tempo, so its memory-backed storage starts empty', async () => {
    const tempoBefore = (await deployment('tempo')).metadata.generation;
    await switchScenario(client, findScenario('n-plus-one'), { reset: true, progress: quiet });
    assert.equal(await activeScenario(client), 'n-plus-one');
    assert.equal((await deployment('tempo')).metadata.generation, tempoBefore + 1);
  });

  test('repeating a switch is safe, and an unknown scenario changes nothing', async () => {
    await switchScenario(client, findScenario('n-plus-one'), { reset: false, progress: quiet });
    assert.equal(await activeScenario(client), 'n-plus-one');
    await assert.rejects(
      async () => switchScenario(client, findScenario('slowquery'), { reset: false, progress: quiet }),
      /unknown scenario/,
    );
    assert.equal(await activeScenario(client), 'n-plus-one');
  });

  test('the ConfigMap tells the pipeline when the scenario went live and which one it replaced', async () => {
    const data = async () =>
      (await client.get<{ data: Record<string, string> }>('ConfigMap', scenarioConfigMap, namespace))!.data;
    await switchScenario(client, findScenario('slow-query'), { reset: true, progress: quiet });
    const fresh = await data();
    assert.ok(Date.parse(fresh.DOJO_SCENARIO_SINCE!) > 0);
    assert.equal(
      fresh.DOJO_PREVIOUS_SCENARIO,
      undefined,
      'an emptied Tempo: the pipeline replays, no rollback',
    );
    await switchScenario(client, findScenario('healthy'), { reset: false, progress: quiet });
    const switched = await data();
    assert.equal(switched.DOJO_PREVIOUS_SCENARIO, 'slow-query');
    assert.equal(switched.DOJO_PREVIOUS_SCENARIO_SINCE, fresh.DOJO_SCENARIO_SINCE);
    assert.ok(switched.DOJO_SCENARIO_SINCE! >= fresh.DOJO_SCENARIO_SINCE!);
    await switchScenario(client, findScenario('healthy'), { reset: false, progress: quiet });
    const again = await data();
    assert.equal(again.DOJO_SCENARIO_SINCE, switched.DOJO_SCENARIO_SINCE, 'the same scenario: no new deploy');
    assert.equal(again.DOJO_PREVIOUS_SCENARIO, 'healthy');
  });

  test('scenario set waits for the restarted tiers to roll out, with a progress line while it waits (the test plays the Deployment controller)', async () => {
    const lines: string[] = [];
    let settled = false;
    const switching = kindScenarioSet(
      findScenario('external-latency'),
      (l) => lines.push(l),
      client,
      fast,
    ).finally(() => {
      settled = true;
    });
    await until('a progress line about pending tiers', () =>
      lines.some((l) => /… .*web 0\/1 available/.test(l)),
    );
    assert.equal(settled, false, 'scenario set returned before any tier rolled out');
    assert.ok(lines.some((l) => /no pod yet/.test(l)));
    for (const name of ['payments', 'api', 'web', 'loadgen', 'pipeline']) await markRolledOut(name);
    const result = await switching;
    assert.equal(result.scenario, 'external-latency');
    for (const name of result.restarted)
      assert.ok(
        lines.some((l) => l.startsWith(`✔ ${name} ready`)),
        name,
      );
  });

  test('scenario reset keeps the active scenario and waits for Tempo too', async () => {
    const lines: string[] = [];
    const resetting = kindScenarioReset((l) => lines.push(l), client, fast);
    await until('the wait to start', () => lines.some((l) => l.startsWith('› waiting for')));
    for (const name of ['tempo', 'payments', 'api', 'web', 'loadgen', 'pipeline']) await markRolledOut(name);
    const result = await resetting;
    assert.equal(result.scenario, 'external-latency');
    assert.ok(lines.some((l) => l.startsWith('✔ tempo ready')));
  });

  test('lab status shows each workload, and why one waits (ImagePullBackOff as the kubelet would report it)', async () => {
    // A pod as a kubelet would leave it when the image is missing; the ServiceAccount is what the
    // controller-manager would have created.
    await client.apply({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
    const grafana = (await client.get<K8sObject>('Deployment', 'grafana', namespace))!;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'grafana-0', namespace, labels: { 'app.kubernetes.io/name': 'grafana' } },
      spec: grafana.spec.template.spec,
    };
    assert.equal((await client.call('POST', `/api/v1/namespaces/${namespace}/pods`, pod)).status, 201);
    const waiting = { name: 'grafana', ready: false, restartCount: 0, image: 'x', imageID: '' };
    const res = await client.call(
      'PATCH',
      `/api/v1/namespaces/${namespace}/pods/grafana-0/status`,
      { status: { containerStatuses: [{ ...waiting, state: { waiting: { reason: 'ImagePullBackOff' } } }] } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200);
    const rows = await kindLabStatus(client);
    assert.deepEqual(
      rows.map((r) => r.name),
      renderManifests()
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata.name),
    );
    const row = (name: string) => rows.find((r) => r.name === name)!;
    assert.deepEqual(row('web'), { name: 'web', ready: true, detail: '1/1 available' });
    assert.equal(row('grafana').ready, false);
    assert.match(row('grafana').detail, /0\/1 available \(ImagePullBackOff\)/);
    assert.match(row('postgres').detail, /no pod yet/);
    // `lab status --json` on kind: the same rows, in the local status's field names.
    const status = await new KindLab(client).status();
    assert.equal(status.mode, 'kind');
    assert.equal(status.phase, 'starting');
    assert.deepEqual(
      status.components.find((c) => c.name === 'web'),
      { name: 'web', state: 'ready', detail: '1/1 available' },
    );
    assert.equal(status.components.length, rows.length);
  });

  test('a rollout that never finishes ends in one line naming what still waits and why', async () => {
    await assert.rejects(
      waitForRollouts(client, ['grafana'], quiet, { timeoutMs: 300, pollMs: 50 }),
      (e: unknown) =>
        e instanceof UserError &&
        !e.message.includes('\n') &&
        /still waiting after .* grafana 0\/1 available \(ImagePullBackOff\)/.test(e.message),
    );
  });
});
