// `dojo grade dashboard`: checks answers/dashboard.json as a file (schema version, data sources, TraceQL),
// then runs each panel the lab asks for against replayed traffic in the lab's store and judges what it
// shows: data for every service and route, values of the right size, silence when nothing is wrong.
import type { DashboardView, PanelView, TempoTarget } from './dashboard-model.ts';
import { readDashboard } from './dashboard-model.ts';
import { findRoles, type Role, type RoleMatch, roleAsks, roleTitles } from './dashboard-roles.ts';
import type { Check, Grade } from './grade-model.ts';
import type { Results } from './grafana-math.ts';
import { runMetricsTargets, runSearch, type TimeRange } from './panel-run.ts';
import type { ReplayLab, Story } from './replay-lab.ts';
import { finite, fmt, mean, routeKey, seriesName, seriesOf, serviceKey, summarize } from './series-facts.ts';
import { readRecording } from './traffic-recording.ts';

const check = (
  id: string,
  title: string,
  ok: boolean,
  expected: string,
  found: string,
  extra: Partial<Check> = {},
): Check => ({
  id,
  title,
  verdict: ok ? 'pass' : 'fail',
  points: ok ? 1 : 0,
  maxPoints: 1,
  expected,
  found,
  ...extra,
});

/** Every service and route that served requests in the recorded healthy traffic: what a RED panel must show. */
export function expectedRoutes(): string[] {
  const pairs = new Set<string>();
  for (const r of readRecording('healthy').requests)
    for (const rs of r.resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      for (const s of rs.scopeSpans.flatMap((ss) => ss.spans)) {
        const route = s.attributes?.find((a) => a.key === 'http.route')?.value.stringValue;
        if ((s.kind === 'SPAN_KIND_SERVER' || s.kind === 2) && route) pairs.add(`${service} ${route}`);
      }
    }
  return [...pairs].sort();
}

interface Ctx {
  lab: ReplayLab;
  range: TimeRange;
}

const rangeWords = (r: TimeRange) => `the last ${Math.round((r.end - r.start) / 60)} minutes`;

async function results(m: RoleMatch, ctx: Ctx, story: Story): Promise<Results> {
  return (await runMetricsTargets(m.panel, ctx.lab.tempoUrl, story, ctx.range)).get(m.refId) ?? [];
}

/** A problem with the labels of a RED panel's series, or undefined. */
function labelProblem(r: Results): string | undefined {
  const series = seriesOf(r);
  if (series.length === 0) return 'returned no series';
  const l = series[0]!.labels;
  if (!serviceKey(l) || !routeKey(l))
    return `its series are labelled {${Object.keys(l).join(', ')}}; group them by (resource.service.name, span.http.route)`;
  return undefined;
}

function missingRoutes(r: Results): string[] {
  const have = new Set(seriesOf(r).map((s) => seriesName(s.labels)));
  return expectedRoutes().filter((p) => !have.has(p));
}

async function judgeRate(m: RoleMatch, ctx: Ctx): Promise<[boolean, string, string?]> {
  const r = await results(m, ctx, 'healthy');
  const found = `on ${rangeWords(ctx.range)} of healthy traffic: ${summarize(r, ' req/s')}`;
  const bad = labelProblem(r);
  if (bad) return [false, found, bad];
  const missing = missingRoutes(r);
  if (missing.length)
    return [false, found, `no series for ${missing.join(', ')}: does a filter leave them out?`];
  // web serves each shopper request once: its routes' rates add up to the traffic's rate.
  const byTime = new Map<number, number>();
  for (const s of seriesOf(r).filter((x) => x.labels[serviceKey(x.labels)!] === 'web'))
    for (const p of s.points)
      if (p.v !== null && Number.isFinite(p.v)) byTime.set(p.t, (byTime.get(p.t) ?? 0) + p.v);
  const webRate = mean([...byTime.values()]);
  const ratio = webRate / ctx.lab.rps;
  if (!(ratio > 0.65 && ratio < 1.35))
    return [
      false,
      `${found}; web's routes add up to ${fmt(webRate)} req/s`,
      `the replayed traffic sent ${ctx.lab.rps} req/s to web${ratio > 1.35 ? ': are INTERNAL spans (they carry http.route too) counted? keep kind = server' : ': is the value per second (rate)?'}`,
    ];
  return [true, `${found}; web's routes add up to ${fmt(webRate)} req/s (sent: ${ctx.lab.rps})`];
}

async function judgeErrors(m: RoleMatch, ctx: Ctx): Promise<[boolean, string, string?]> {
  const r = await results(m, ctx, 'error-cascade');
  const found = `under error-cascade (${rangeWords(ctx.range)}): ${summarize(r)}`;
  const bad = labelProblem(r);
  if (bad) return [false, found, bad];
  const scale = m.panel.unit === 'percent' ? 100 : 1;
  const values = seriesOf(r)
    .flatMap(finite)
    .map((v) => v / scale);
  if (values.some((v) => v < 0 || v > 1))
    return [
      false,
      found,
      `a share of failing requests lies between 0 and 1${scale === 1 ? '' : ' (0-100 %)'}; is the division the right way round ($errors / $all)?`,
    ];
  const checkout = seriesOf(r).find((s) => seriesName(s.labels) === 'api /api/checkout');
  if (!checkout)
    return [false, found, 'no series for api /api/checkout, the route that fails under error-cascade'];
  const share = mean(finite(checkout)) / scale;
  if (!(share > 0.12 && share < 0.6))
    return [
      false,
      `${found}; api /api/checkout averages ${fmt(share)}`,
      'about 0.3 of checkouts fail under error-cascade',
    ];
  const healthy = seriesOf(await results(m, ctx, 'healthy')).flatMap(finite);
  if (healthy.some((v) => v > 0))
    return [
      false,
      `${found}; on healthy traffic it shows up to ${fmt(Math.max(...healthy) / scale)}`,
      'nothing fails on healthy traffic',
    ];
  return [true, `${found}; api /api/checkout averages ${fmt(share)} (about 0.3 fail); 0 on healthy traffic`];
}

async function judgeP95(m: RoleMatch, ctx: Ctx): Promise<[boolean, string, string?]> {
  const r = await results(m, ctx, 'slow-query');
  const found = `under slow-query (${rangeWords(ctx.range)}): ${summarize(r, ' s')}`;
  const bad = labelProblem(r);
  if (bad) return [false, found, bad];
  const missing = missingRoutes(r).filter((p) => p.startsWith('api '));
  if (missing.length) return [false, found, `no series for ${missing.join(', ')}`];
  const search = seriesOf(r).find((s) => seriesName(s.labels) === 'api /api/search')!;
  const peak = Math.max(...finite(search));
  if (!(peak >= 0.5))
    return [
      false,
      `${found}; api /api/search peaks at ${fmt(peak)} s`,
      'review searches take 0.35-1 s under slow-query; TraceQL metrics give durations in seconds',
    ];
  const healthy = seriesOf(await results(m, ctx, 'healthy')).flatMap(finite);
  if (healthy.some((v) => v >= 0.5))
    return [
      false,
      `${found}; healthy traffic peaks at ${fmt(Math.max(...healthy))} s`,
      'healthy requests take well under 0.5 s',
    ];
  return [
    true,
    `${found}; api /api/search peaks at ${fmt(peak)} s, healthy traffic stays under ${fmt(Math.max(0, ...healthy))} s`,
  ];
}

async function judgeSearch(m: RoleMatch, ctx: Ctx): Promise<[boolean, string, string?]> {
  const target = m.panel.targets.find((t) => t.refId === m.refId) as TempoTarget;
  const count = async (story: Story) => (await runSearch(target, ctx.lab.tempoUrl, story, ctx.range)).length;
  const [healthy, slow, errors] = [
    await count('healthy'),
    await count('slow-query'),
    await count('error-cascade'),
  ];
  const found = `${target.query} lists ${healthy} traces on healthy traffic, ${slow} under slow-query, ${errors} under error-cascade`;
  if (m.panel.type !== 'table')
    return [false, found, `it is a "${m.panel.type}" panel; show search results in a table panel`];
  if (healthy > 0)
    return [false, found, 'a table of failing or slow requests should be empty when nothing is wrong'];
  if (slow + errors === 0) return [false, found, 'it finds nothing when requests fail or are slow'];
  return [true, found];
}

const judges: Record<Role, (m: RoleMatch, ctx: Ctx) => Promise<[boolean, string, string?]>> = {
  rate: judgeRate,
  errors: judgeErrors,
  p95: judgeP95,
  search: judgeSearch,
};

function fileChecks(view: DashboardView): Check[] {
  const panelProblems = view.panels.flatMap((p: PanelView) => p.problems);
  return [
    check(
      'dashboard-model',
      "A Grafana dashboard model for the lab's Grafana",
      view.problems.length === 0,
      'schemaVersion of the pinned Grafana, a uid, a title, a relative time range, panels',
      view.problems.length
        ? view.problems.join('; ')
        : `"${view.model.title}" (uid ${view.model.uid}), ${view.panels.length} panels`,
      { lookedAt: view.path },
    ),
    check(
      'dashboard-queries',
      "Every query reads the lab's Tempo data source with valid TraceQL",
      panelProblems.length === 0,
      'targets with datasource {"type":"tempo","uid":"tempo"}, "queryType": "traceql" and TraceQL that parses (expressions: __expr__)',
      panelProblems.length
        ? panelProblems.join('; ')
        : `${view.panels.reduce((n, p) => n + p.targets.length, 0)} queries`,
      { lookedAt: view.path },
    ),
  ];
}

export async function gradeDashboard(answers: string, lab: ReplayLab): Promise<Grade> {
  const view = readDashboard(answers);
  const checks = fileChecks(view);
  const end = Math.floor(lab.endMs / 1000);
  const ctx: Ctx = { lab, range: { start: end - view.rangeSeconds, end } };
  const found = findRoles(view.panels);
  for (const role of ['rate', 'errors', 'p95', 'search'] as const) {
    const m = found[role];
    const id = `panel-${role}`;
    if (!m) {
      checks.push(
        check(id, roleTitles[role], false, roleAsks[role], 'no panel does this', {
          hint: `add ${roleAsks[role]}`,
        }),
      );
      continue;
    }
    const where = `panel "${m.panel.title}" (${m.refId})`;
    if (m.nearMiss) {
      checks.push(
        check(id, roleTitles[role], false, roleAsks[role], `${where} ${m.nearMiss}`, { lookedAt: where }),
      );
      continue;
    }
    const [ok, what, hint] = await judges[role](m, ctx);
    checks.push(
      check(id, roleTitles[role], ok, roleAsks[role], `${where} ${what}`, {
        lookedAt: where,
        ...(hint ? { hint } : {}),
      }),
    );
  }
  return { lab: 'dashboard', title: 'Lab 2 — dashboard as code', checks };
}
