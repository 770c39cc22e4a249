// Grafana on kind: the dashboards it provisions are what their builders write (dashboards as code), in the
// schema version of the pinned Grafana, on the provisioned Tempo data source; Tempo alerting is switched on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { versions } from '@dojo/course';
import { parse } from 'yaml';
import { dashboardFiles } from '../../src/grafana/dashboards.ts';
import { renderManifests } from '../../src/kind/manifests.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const provisioned = parse(read('labs/grafana/datasources.yaml')).datasources[0] as {
  type: string;
  uid: string;
};
const grafana = renderManifests().filter((o) => o.metadata.name === 'grafana');

test('every dashboard file is what its builder writes (run node labs/src/grafana/write-dashboards.ts after a change)', () => {
  for (const [path, text] of Object.entries(dashboardFiles()))
    assert.equal(read(path), text, `${path} is stale`);
});

test("the dashboards use the pinned Grafana's schema version and only the provisioned Tempo data source", () => {
  for (const path of Object.keys(dashboardFiles())) {
    const d = JSON.parse(read(path));
    assert.equal(d.schemaVersion, versions.grafana.dashboardSchemaVersion, path);
    const refs = d.panels.flatMap((p: { datasource: unknown; targets: { datasource?: unknown }[] }) => [
      p.datasource,
      ...p.targets.map((t) => t.datasource).filter(Boolean),
    ]);
    for (const ref of refs)
      assert.ok(
        JSON.stringify(ref) === JSON.stringify({ type: provisioned.type, uid: provisioned.uid }) ||
          JSON.stringify(ref) === JSON.stringify({ type: '__expr__', uid: '__expr__' }),
        `${path}: ${JSON.stringify(ref)}`,
      );
  }
});

test('kind provisions the RED dashboard from its file and enables alerting on Tempo', () => {
  const cm = grafana.find((o) => o.kind === 'ConfigMap')!;
  assert.equal(cm.data['red-from-traces.json'], dashboardFiles()['labs/grafana/red-from-traces.json']);
  const container = grafana.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
  assert.equal(container.image, versions.images.grafana);
  const toggles =
    container.env.find((e: { name: string }) => e.name === 'GF_FEATURE_TOGGLES_ENABLE')?.value ?? '';
  assert.ok(toggles.split(/[ ,]+/).includes('tempoAlerting'), `feature toggles: "${toggles}"`);
});
