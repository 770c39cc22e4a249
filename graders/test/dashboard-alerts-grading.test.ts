// Lab 2's dashboard and alert graders against the lab's store holding replayed traffic: the reference
// answers pass every check; wrong dashboards and alert files fail the check a teacher would name,
// with feedback that says which panel or rule and what its query returned.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '@dojo/course';
import { runDojo } from '@dojo/labs/testing';
import { parse, stringify } from 'yaml';
import { gradeAlerts } from '../src/alerts-grader.ts';
import { gradeDashboard } from '../src/dashboard-grader.ts';
import type { Grade } from '../src/grade-model.ts';
import { type ReplayLab, startReplayLab } from '../src/replay-lab.ts';

const solution = new URL('../../labs/lab2/solution/', import.meta.url);
const referenceDashboard = () => JSON.parse(readFileSync(new URL('dashboard.json', solution), 'utf8'));
const referenceAlerts = () => parse(readFileSync(new URL('alerts.yaml', solution), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: the tests edit learners' JSON and YAML freely.
type Json = any;
const failed = (g: Grade) => g.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id);
const checkOf = (g: Grade, id: string) => g.checks.find((c) => c.id === id)!;
const said = (g: Grade, id: string) => `${checkOf(g, id).found} ${checkOf(g, id).hint ?? ''}`;

describe("Lab 2 dashboard and alerts, run against replayed traffic in the lab's store", {
  timeout: 300_000,
}, () => {
  let lab: ReplayLab;
  const dir = mkdtempSync(join(tmpdir(), 'dojo-lab2-'));
  const dashboard = async (edit: (d: Json) => void) => {
    const d = referenceDashboard();
    edit(d);
    writeFileSync(join(dir, 'dashboard.json'), JSON.stringify(d, null, 2));
    return gradeDashboard(dir, lab);
  };
  const alerts = async (edit: (a: Json) => void) => {
    const a = referenceAlerts();
    edit(a);
    writeFileSync(join(dir, 'alerts.yaml'), stringify(a));
    return gradeAlerts(dir, lab);
  };
  const panel = (d: Json, title: RegExp) => d.panels.find((p: Json) => title.test(p.title));
  const rule = (a: Json, uid: string) => a.groups[0].rules.find((r: Json) => r.uid === uid);
  const data = (r: Json, refId: string) => r.data.find((q: Json) => q.refId === refId);

  before(async () => {
    lab = await startReplayLab();
  });
  after(async () => {
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the reference dashboard passes every check, with what each panel showed', async () => {
    const g = await gradeDashboard(new URL(solution).pathname, lab);
    assert.deepEqual(failed(g), [], g.checks.map((c) => `${c.id}: ${c.found}`).join('\n'));
    assert.match(said(g, 'panel-rate'), /web's routes add up to 0\.\d+ req\/s \(sent: 0\.5\)/);
    assert.match(said(g, 'panel-p95'), /api \/api\/search peaks at \d/);
  });

  test('the reference alerts pass: silent on healthy traffic, firing minutes into each fault', async () => {
    const g = await gradeAlerts(new URL(solution).pathname, lab);
    assert.deepEqual(failed(g), [], g.checks.map((c) => `${c.id}: ${c.found}`).join('\n'));
    assert.match(
      said(g, 'alert-slow-query'),
      /"api route p95 above 500 ms" fired \d+ min after the fault began \(.*\/api\/search\)/,
    );
    assert.match(said(g, 'alert-error-cascade'), /error ratio.*fired \d+ min after.*\/api\/checkout/);
  });

  const dashboardVariants: [string, (d: Json) => void, string, RegExp][] = [
    ['missing p95 panel', (d) => d.panels.splice(2, 1), 'panel-p95', /no panel does this/],
    [
      'rate panel on the wrong data source',
      (d) => {
        const p = panel(d, /^Requests/);
        p.datasource = { type: 'prometheus', uid: 'prometheus' };
        p.targets[0].datasource = p.datasource;
      },
      'dashboard-queries',
      /"Requests per second by service and route" query A uses data source .*prometheus.*the lab's Tempo/,
    ],
    [
      'rate query that matches no service',
      (d) => {
        panel(d, /^Requests/).targets[0].query =
          '{ kind = server && resource.service.name = "checkout" } | rate() by (resource.service.name, span.http.route)';
      },
      'panel-rate',
      /returned no series|no data/,
    ],
    [
      'rate grouped by service only',
      (d) => {
        panel(d, /^Requests/).targets[0].query = '{ kind = server } | rate() by (resource.service.name)';
      },
      'panel-rate',
      /group them by \(resource\.service\.name, span\.http\.route\)/,
    ],
    [
      'rate counting INTERNAL spans too',
      (d) => {
        panel(d, /^Requests/).targets[0].query =
          '{ span.http.route != nil } | rate() by (resource.service.name, span.http.route)';
      },
      'panel-rate',
      /add up to 1 req\/s.*INTERNAL spans/,
    ],
    [
      'error ratio divided the wrong way round',
      (d) => {
        panel(d, /^Error ratio/).targets[2].expression = '$B / $A';
      },
      'panel-errors',
      /between 0 and 1/,
    ],
    [
      'errors per second instead of a ratio',
      (d) => {
        const p = panel(d, /^Error ratio/);
        p.targets = [{ ...p.targets[0], hide: false }];
      },
      'panel-errors',
      /divide by all requests/,
    ],
    [
      'p99 where p95 was asked',
      (d) => {
        panel(d, /^p95/).targets[0].query =
          '{ kind = server } | quantile_over_time(duration, .99) by (resource.service.name, span.http.route)';
      },
      'panel-p95',
      /quantile 0\.99, not 0\.95/,
    ],
    [
      'search table listing every request',
      (d) => {
        panel(d, /^Failing/).targets[0].query = '{ kind = server }';
      },
      'panel-search',
      /lists 20 traces on healthy traffic.*empty when nothing is wrong/,
    ],
    [
      'search shown as a time series',
      (d) => {
        panel(d, /^Failing/).type = 'timeseries';
      },
      'panel-search',
      /"timeseries" panel; show search results in a table/,
    ],
    [
      'an old schema version',
      (d) => (d.schemaVersion = 39),
      'dashboard-model',
      /schemaVersion is 39.*writes 42/,
    ],
    [
      'invalid TraceQL',
      (d) => {
        panel(d, /^p95/).targets[0].query = '{ kind = server | quantile_over_time(duration, .95)';
      },
      'dashboard-queries',
      /"p95 latency by service and route" query A: invalid TraceQL, line 1, column \d+/,
    ],
  ];
  for (const [name, edit, id, feedback] of dashboardVariants) {
    test(`dashboard, ${name}: ${id} fails and says why`, async () => {
      const g = await dashboard(edit);
      assert.equal(checkOf(g, id).verdict, 'fail', said(g, id));
      assert.match(said(g, id), feedback);
    });
  }

  const alertVariants: [string, (a: Json) => void, string, RegExp][] = [
    [
      'latency threshold far too high',
      (a) => {
        data(rule(a, 'api-route-p95'), 'C').model.conditions[0].evaluator.params = [5];
      },
      'alert-slow-query',
      /"api route p95 above 500 ms" stayed silent: its threshold's input peaked at 1\.\d .*\/api\/search/,
    ],
    [
      'latency threshold under healthy latency',
      (a) => {
        data(rule(a, 'api-route-p95'), 'C').model.conditions[0].evaluator.params = [0.01];
      },
      'alerts-healthy',
      /"api route p95 above 500 ms" fires on healthy traffic/,
    ],
    [
      'error rule left at noDataState NoData',
      (a) => {
        delete rule(a, 'api-route-errors').noDataState;
      },
      'alerts-healthy',
      /goes to NoData on healthy traffic \(query A returned no series\).*noDataState: OK/,
    ],
    [
      'error ratio threshold of 50 %',
      (a) => {
        data(rule(a, 'api-route-errors'), 'E').model.conditions[0].evaluator.params = [0.5];
      },
      'alert-error-cascade',
      /error ratio above 5 %" stayed silent: its threshold's input peaked at 0\.\d+ \(.*\/api\/checkout\)/,
    ],
    [
      'query on the wrong data source',
      (a) => {
        data(rule(a, 'api-route-p95'), 'A').datasourceUid = 'prometheus';
      },
      'alerts-file',
      /rule "api route p95 above 500 ms" query A uses datasourceUid "prometheus"/,
    ],
    [
      'condition naming no refId',
      (a) => {
        rule(a, 'api-route-errors').condition = 'F';
      },
      'alerts-file',
      /condition "F" is not one of its refIds/,
    ],
    [
      'a search query instead of a metrics query',
      (a) => {
        data(rule(a, 'api-route-p95'), 'A').model.query =
          '{ resource.service.name = "api" && duration > 500ms }';
      },
      'alerts-file',
      /is a search; Grafana alerts only on TraceQL metrics/,
    ],
    [
      'threshold on an unreduced range query',
      (a) => {
        const r = rule(a, 'api-route-p95');
        r.data = r.data.filter((q: Json) => q.refId !== 'B');
        delete data(r, 'A').model.metricsQueryType;
        data(r, 'C').model.expression = 'A';
      },
      'alerts-healthy',
      /errs on healthy traffic: condition C gives time series.*reduce/,
    ],
    [
      'a pending period longer than the fault',
      (a) => {
        rule(a, 'api-route-p95').for = '30m';
      },
      'alerts-file',
      /waits 30 minutes \(for\)/,
    ],
  ];
  for (const [name, edit, id, feedback] of alertVariants) {
    test(`alerts, ${name}: ${id} fails and says why`, async () => {
      const g = await alerts(edit);
      assert.equal(checkOf(g, id).verdict, 'fail', said(g, id));
      assert.match(said(g, id), feedback);
    });
  }

  test('files that cannot be read stop grading with one line naming the place', async () => {
    writeFileSync(join(dir, 'dashboard.json'), '{ "panels": [ }');
    await assert.rejects(
      gradeDashboard(dir, lab),
      (e: Error) => e instanceof UserError && /dashboard\.json line 1, column \d+/.test(e.message),
    );
    writeFileSync(join(dir, 'alerts.yaml'), 'apiVersion: 1\ngroups:\n  - name: x\n   rules: [\n');
    await assert.rejects(
      gradeAlerts(dir, lab),
      (e: Error) => e instanceof UserError && /alerts\.yaml line \d+, column \d+/.test(e.message),
    );
  });

  test('on the command line: dojo grade dashboard and alerts exit 0 on the reference, 1 on a wrong answer', async () => {
    const env = { ...process.env, NO_COLOR: '1', DOJO_PORT_OFFSET: '1000' };
    const ok = await runDojo(['grade', 'dashboard', '--answers', new URL(solution).pathname], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /6\/6 points/);
    writeFileSync(
      join(dir, 'alerts.yaml'),
      readFileSync(new URL('alerts.yaml', solution), 'utf8').replace('params: [0.05]', 'params: [0.9]'),
    );
    const wrong = await runDojo(['grade', 'alerts', '--answers', dir], env);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(
      wrong.stdout,
      /✖ An alert fires under error-cascade \(0\/1\)[\s\S]*peaked at 0\.\d+ \(span\.http\.route=\/api\/checkout\)/,
    );
  });
});
