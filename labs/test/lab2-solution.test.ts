// Lab 2's reference dashboard and alerts (labs/lab2/solution, withheld from the learner edition): the JSON
// is what its builder writes, and both are on the data source kind provisions, in Grafana's formats.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { versions } from '@dojo/course';
import { readAlerts, readDashboard } from '@dojo/graders';
import { parse } from 'yaml';
import { lab2Reference } from '../lab2/solution/dashboard.ts';
import { dashboardJson } from '../src/grafana/dashboards.ts';

const solution = (name: string) => fileURLToPath(new URL(`../lab2/solution/${name}`, import.meta.url));
const provisioned = parse(readFileSync(new URL('../grafana/datasources.yaml', import.meta.url), 'utf8'))
  .datasources[0] as { type: string; uid: string };

test('dashboard.json is what its builder writes (run node labs/lab2/solution/dashboard.ts after a change)', () => {
  assert.equal(readFileSync(solution('dashboard.json'), 'utf8'), dashboardJson(lab2Reference()));
});

test('the reference dashboard reads as a schema-42 model whose every query is on the provisioned Tempo', () => {
  const view = readDashboard(solution('dashboard.json'));
  assert.equal(view.model.schemaVersion, versions.grafana.dashboardSchemaVersion);
  assert.deepEqual([...view.problems, ...view.panels.flatMap((p) => p.problems)], []);
  assert.equal(provisioned.uid, 'tempo');
});

test('the reference alerts are Grafana provisioning YAML on the provisioned data source', () => {
  const alerts = readAlerts(solution('alerts.yaml'));
  assert.deepEqual([...alerts.problems, ...alerts.rules.flatMap((r) => r.problems)], []);
  const raw = parse(readFileSync(solution('alerts.yaml'), 'utf8'));
  assert.equal(raw.apiVersion, 1);
  for (const rule of raw.groups.flatMap((g: { rules: unknown[] }) => g.rules))
    for (const d of (rule as { data: { datasourceUid: string }[] }).data)
      assert.ok([provisioned.uid, '__expr__'].includes(d.datasourceUid), d.datasourceUid);
});
