// The kind path's Kubernetes code against a real API server (etcd + kube-apiserver). There is no kubelet
// here, so no pod ever starts: rollouts are observed as the object changes that trigger them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KubeClient } from '../../src/kind/k8s-http.ts';
import { applyAll } from '../../src/kind/kind-lab.ts';
import { type K8sObject, namespace, renderManifests } from '../../src/kind/manifests.ts';
import { activeScenario, restartAnnotation, switchScenario } from '../../src/kind/scenario-switch.ts';
import { UserError } from '../../src/user-error.ts';
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

  test('scenario set patches the ConfigMap and restarts the four tiers but not Tempo (observed as new pod-template annotations)', async () => {
    const tempoBefore = (await deployment('tempo')).metadata.generation;
    const webBefore = (await deployment('web')).metadata.generation;
    const result = await switchScenario(client, 'slow-query', { reset: false, progress: quiet });
    assert.deepEqual(result.restarted, ['payments', 'api', 'web', 'loadgen']);
    assert.equal(await activeScenario(client), 'slow-query');
    const web = await deployment('web');
    assert.equal(web.metadata.generation, webBefore + 1);
    assert.ok(web.spec.template.metadata.annotations?.[restartAnnotation]);
    assert.equal((await deployment('tempo')).metadata.generation, tempoBefore);
  });

  test('scenario reset also restarts Tempo, so its memory-backed storage starts empty', async () => {
    const tempoBefore = (await deployment('tempo')).metadata.generation;
    await switchScenario(client, 'n-plus-one', { reset: true, progress: quiet });
    assert.equal(await activeScenario(client), 'n-plus-one');
    assert.equal((await deployment('tempo')).metadata.generation, tempoBefore + 1);
  });

  test('repeating a switch is safe, and an unknown scenario changes nothing', async () => {
    await switchScenario(client, 'n-plus-one', { reset: false, progress: quiet });
    assert.equal(await activeScenario(client), 'n-plus-one');
    await assert.rejects(
      switchScenario(client, 'slowquery', { reset: false, progress: quiet }),
      /unknown scenario/,
    );
    assert.equal(await activeScenario(client), 'n-plus-one');
  });
});
