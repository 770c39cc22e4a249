// `dojo dashboard apply` and `dojo alerts apply` against a local stand-in that checks every request
// against the shapes Grafana documents: a dashboard and a rule group load, a second apply updates in
// place, and a refusing or missing Grafana is one line and exit 2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDojo } from '@dojo/labs/testing';
import {
  dashboardProblems,
  ruleProblems,
  type StandIn,
  startGrafanaStandIn,
} from './support/grafana-stand-in.ts';

const dashboardFile = fileURLToPath(new URL('../grafana/red-from-traces.json', import.meta.url));
// A rule group of the shape Lab 2 asks for (not its answer): one query, a reduce and a threshold.
const alertsYaml = (interval: string) => `apiVersion: 1
groups:
  - orgId: 1
    name: tracing-dojo
    folder: Tracing Dojo
    interval: ${interval}
    rules:
      - uid: web-busy
        title: web busier than 100 requests per second
        condition: C
        data:
          - refId: A
            relativeTimeRange: { from: 300, to: 0 }
            datasourceUid: tempo
            model: { refId: A, queryType: traceql, query: '{ resource.service.name = "web" && kind = server } | rate()' }
          - refId: B
            datasourceUid: __expr__
            model: { refId: B, type: reduce, expression: A, reducer: mean }
          - refId: C
            datasourceUid: __expr__
            model: { refId: C, type: threshold, expression: B, conditions: [{ evaluator: { type: gt, params: [100] } }] }
        for: 1m
        noDataState: OK
        labels: { service: web }
`;

describe('applying dashboards and alert rules to Grafana through its HTTP API', () => {
  let grafana: StandIn;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'dojo-apply-'));
  const alerts = (interval = '1m') => {
    const file = join(dir, `alerts-${interval}.yaml`);
    writeFileSync(file, alertsYaml(interval));
    return file;
  };
  before(async () => {
    grafana = await startGrafanaStandIn();
    env = { ...process.env, GRAFANA_URL: grafana.url, NO_COLOR: '1', DOJO_PORT_OFFSET: '1000' };
  });
  after(async () => {
    await grafana?.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
    const out = await runDojo(['dashboard', 'apply', '--file', dashboardFile], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(grafana.violations, []);
    assert.match(out.stdout, new RegExp(`${grafana.url}/d/dojo-red/tracing-dojo-red-from-traces\\n`));
    const saved = grafana.dashboards.get('dojo-red')!;
    assert.equal((saved.panels as unknown[]).length, 5);
    assert.equal(saved.folderUid, 'f1');
    const again = await runDojo(['dashboard', 'apply', '--file', dashboardFile], env);
    assert.match(again.stdout, /\(version 2\)/);
  });

  test('alerts apply: each rule through the provisioning API, editable (no provenance)', async () => {
    const out = await runDojo(['alerts', 'apply', '--file', alerts()], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(grafana.violations, []);
    assert.match(
      out.stdout,
      /created rule "web busier than 100 requests per second" \(web-busy\) in Tracing Dojo \/ tracing-dojo/,
    );
    assert.match(out.stdout, new RegExp(`${grafana.url}/alerting/list`));
    const posts = grafana.requests.filter(
      (r) => r.method === 'POST' && r.path === '/api/v1/provisioning/alert-rules',
    );
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.headers['x-disable-provenance'], 'true');
    const rule = grafana.rules.get('web-busy')!;
    assert.equal(rule.ruleGroup, 'tracing-dojo');
    assert.equal(rule.for, '1m');
    assert.deepEqual(
      (rule.data as { refId: string; datasourceUid: string }[]).map((d) => `${d.refId}:${d.datasourceUid}`),
      ['A:tempo', 'B:__expr__', 'C:__expr__'],
    );
    const again = await runDojo(['alerts', 'apply', '--file', alerts()], env);
    assert.match(again.stdout, /updated rule "web busier than 100 requests per second"/);
    assert.equal(
      grafana.requests.filter(
        (r) => r.method === 'PUT' && r.path === '/api/v1/provisioning/alert-rules/web-busy',
      ).length,
      1,
    );
    assert.deepEqual(grafana.violations, []);
  });

  test('a group evaluated every 30 s gets that interval through the rule-group API', async () => {
    const out = await runDojo(['alerts', 'apply', '--file', alerts('30s')], env);
    assert.equal(out.code, 0, out.stderr);
    const put = grafana.requests.find(
      (r) => r.method === 'PUT' && r.path.includes('/rule-groups/tracing-dojo'),
    );
    assert.ok(put, 'no PUT of the rule group');
    assert.equal((put.body as { interval?: number }).interval, 30);
    assert.deepEqual(grafana.violations, []);
  });

  test('a Grafana that refuses, or none at all, is one line naming it, exit 2', async () => {
    grafana.refuseWith = 401;
    const refused = await runDojo(['alerts', 'apply', '--file', alerts()], env);
    grafana.refuseWith = undefined;
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^dojo: Grafana at http:\/\/127\.0\.0\.1:\d+ refused GET \/api\/health \(HTTP 401: Unauthorized\)\n$/,
    );
    const none = await runDojo(['dashboard', 'apply', '--file', dashboardFile], {
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
