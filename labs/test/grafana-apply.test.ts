// `dojo dashboard apply` and `dojo alerts apply` against a local stand-in that checks every request
// against the shapes Grafana documents: the reference answers load, a second apply updates in place,
// and a refusing or missing Grafana is one line and exit 2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDojo } from './integration/lab-harness.ts';
import {
  dashboardProblems,
  ruleProblems,
  type StandIn,
  startGrafanaStandIn,
} from './support/grafana-stand-in.ts';

const solution = (name: string) => fileURLToPath(new URL(`../lab2/solution/${name}`, import.meta.url));

describe('applying Lab 2 answers to Grafana through its HTTP API', () => {
  let grafana: StandIn;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    grafana = await startGrafanaStandIn();
    env = { ...process.env, GRAFANA_URL: grafana.url, NO_COLOR: '1', DOJO_PORT_OFFSET: '1000' };
  });
  after(() => grafana?.close());

  test('the stand-in refuses what Grafana refuses (its checks can fail)', () => {
    assert.match(
      dashboardProblems({ dashboard: { title: 'x', id: 7, uid: 'u', panels: [] } }).join(),
      /dashboard\.id/,
    );
    assert.match(
      ruleProblems({ title: 't', condition: 'C', data: [{ refId: 'A' }] }).join(),
      /folderUID.*orgID.*noDataState/s,
    );
  });

  test('dashboard apply: POST /api/dashboards/db into the lab folder, prints the dashboard URL', async () => {
    const out = await runDojo(['dashboard', 'apply', '--file', solution('dashboard.json')], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(grafana.violations, []);
    assert.match(out.stdout, new RegExp(`${grafana.url}/d/dojo-lab2-red/lab-2-red-per-route-from-traces\\n`));
    const saved = grafana.dashboards.get('dojo-lab2-red')!;
    assert.equal((saved.panels as unknown[]).length, 4);
    assert.equal(saved.folderUid, 'f1');
    const again = await runDojo(['dashboard', 'apply', '--file', solution('dashboard.json')], env);
    assert.match(again.stdout, /\(version 2\)/);
  });

  test('alerts apply: each rule through the provisioning API, editable (no provenance), group interval set', async () => {
    const out = await runDojo(['alerts', 'apply', '--file', solution('alerts.yaml')], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(grafana.violations, []);
    assert.match(
      out.stdout,
      /created rule "api route p95 above 500 ms" \(api-route-p95\) in Tracing Dojo \/ tracing-dojo/,
    );
    assert.match(out.stdout, new RegExp(`${grafana.url}/alerting/list`));
    const posts = grafana.requests.filter(
      (r) => r.method === 'POST' && r.path === '/api/v1/provisioning/alert-rules',
    );
    assert.equal(posts.length, 2);
    for (const p of posts) assert.equal(p.headers['x-disable-provenance'], 'true');
    const rule = grafana.rules.get('api-route-errors')!;
    assert.equal(rule.ruleGroup, 'tracing-dojo');
    assert.deepEqual(
      (rule.data as { refId: string; datasourceUid: string }[]).map((d) => `${d.refId}:${d.datasourceUid}`),
      ['A:tempo', 'B:tempo', 'C:__expr__', 'D:__expr__', 'E:__expr__'],
    );
    const again = await runDojo(['alerts', 'apply', '--file', solution('alerts.yaml')], env);
    assert.match(again.stdout, /updated rule "api route p95 above 500 ms"/);
    assert.equal(
      grafana.requests.filter(
        (r) => r.method === 'PUT' && r.path.startsWith('/api/v1/provisioning/alert-rules/'),
      ).length,
      2,
    );
    assert.deepEqual(grafana.violations, []);
  });

  test('a group evaluated every 30 s gets that interval through the rule-group API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-alerts-'));
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      readFileSync(solution('alerts.yaml'), 'utf8').replace('interval: 1m', 'interval: 30s'),
    );
    try {
      const out = await runDojo(['alerts', 'apply', '--file', file], env);
      assert.equal(out.code, 0, out.stderr);
      const put = grafana.requests.find(
        (r) => r.method === 'PUT' && r.path.includes('/rule-groups/tracing-dojo'),
      );
      assert.ok(put, 'no PUT of the rule group');
      assert.equal((put.body as { interval?: number }).interval, 30);
      assert.deepEqual(grafana.violations, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Grafana that refuses, or none at all, is one line naming it, exit 2', async () => {
    grafana.refuseWith = 401;
    const refused = await runDojo(['alerts', 'apply', '--file', solution('alerts.yaml')], env);
    grafana.refuseWith = undefined;
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^dojo: Grafana at http:\/\/127\.0\.0\.1:\d+ refused GET \/api\/health \(HTTP 401: Unauthorized\)\n$/,
    );
    const none = await runDojo(['dashboard', 'apply', '--file', solution('dashboard.json')], {
      ...env,
      GRAFANA_URL: 'http://127.0.0.1:9',
    });
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /^dojo: Grafana at http:\/\/127\.0\.0\.1:9 is unreachable \(GRAFANA_URL\).*kind/,
    );
    const missing = await runDojo(['dashboard', 'apply', '--file', '/nonexistent/dashboard.json'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /dashboard\.json not found/);
  });
});
