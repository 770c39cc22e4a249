// A local HTTP stand-in for the parts of Grafana's API that `dojo dashboard apply` and `dojo alerts apply`
// call. It checks each request against the shapes Grafana documents (dashboards: POST /api/dashboards/db;
// alert rules: the provisioning API's ProvisionedAlertRule and AlertRuleGroup) and answers as Grafana
// answers; a request of the wrong shape gets a 400 and is listed in `violations`.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const noDataStates = ['NoData', 'Alerting', 'OK', 'KeepLast'];
const execErrStates = ['Error', 'Alerting', 'OK', 'KeepLast'];

/** What the provisioning API requires of an alert rule (Grafana's ProvisionedAlertRule). */
export function ruleProblems(r: unknown): string[] {
  if (!isObject(r)) return ['the body is not a JSON object'];
  const p: string[] = [];
  for (const key of ['title', 'condition', 'folderUID', 'ruleGroup', 'for'])
    if (typeof r[key] !== 'string' || r[key] === '') p.push(`${key} must be a non-empty string`);
  if (typeof r.orgID !== 'number') p.push('orgID must be a number');
  if (!noDataStates.includes(String(r.noDataState))) p.push(`noDataState must be one of ${noDataStates}`);
  if (!execErrStates.includes(String(r.execErrState))) p.push(`execErrState must be one of ${execErrStates}`);
  if (!/^(\d+(ms|s|m|h|d|w|y))+$|^0$/.test(String(r.for))) p.push('for must be a duration like 2m');
  if (!Array.isArray(r.data) || r.data.length === 0) p.push('data must be a non-empty list of queries');
  for (const d of Array.isArray(r.data) ? r.data : []) {
    if (!isObject(d)) {
      p.push('each data entry must be an object');
      continue;
    }
    if (typeof d.refId !== 'string') p.push('data[].refId must be a string');
    if (typeof d.datasourceUid !== 'string') p.push('data[].datasourceUid must be a string');
    if (!isObject(d.model)) p.push('data[].model must be an object');
    const rr = d.relativeTimeRange;
    if (!isObject(rr) || typeof rr.from !== 'number' || typeof rr.to !== 'number')
      p.push('data[].relativeTimeRange must be {from, to} in seconds');
  }
  if (Array.isArray(r.data) && !r.data.some((d) => isObject(d) && d.refId === r.condition))
    p.push('condition must name one of data[].refId');
  for (const key of ['labels', 'annotations'])
    if (
      r[key] !== undefined &&
      (!isObject(r[key]) || Object.values(r[key]).some((v) => typeof v !== 'string'))
    )
      p.push(`${key} must map strings to strings`);
  return p;
}

/** What POST /api/dashboards/db requires. */
export function dashboardProblems(b: unknown): string[] {
  if (!isObject(b) || !isObject(b.dashboard)) return ['the body must be {"dashboard": {…}, …}'];
  const d = b.dashboard;
  const p: string[] = [];
  if (typeof d.title !== 'string' || !d.title) p.push('dashboard.title must be set');
  if (d.id !== undefined && d.id !== null)
    p.push('dashboard.id must be null to create (or the id Grafana gave)');
  if (typeof d.uid !== 'string') p.push('dashboard.uid must be a string');
  if (!Array.isArray(d.panels)) p.push('dashboard.panels must be a list');
  if (b.overwrite !== undefined && typeof b.overwrite !== 'boolean') p.push('overwrite must be a boolean');
  if (b.folderUid !== undefined && typeof b.folderUid !== 'string') p.push('folderUid must be a string');
  return p;
}

export interface StandIn {
  url: string;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: unknown }[];
  violations: string[];
  rules: Map<string, Json>;
  dashboards: Map<string, Json>;
  groups: Map<string, Json>;
  /** answer every request with this status from now on (to test refusals) */
  refuseWith?: number;
  close(): Promise<void>;
}

export async function startGrafanaStandIn(): Promise<StandIn> {
  const folders: { id: number; uid: string; title: string }[] = [];
  const state: StandIn = {
    url: '',
    requests: [],
    violations: [],
    rules: new Map(),
    dashboards: new Map(),
    groups: new Map(),
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const path = (req.url ?? '').split('?')[0]!;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: unknown;
    if (text) {
      if (!/application\/json/.test(req.headers['content-type'] ?? ''))
        state.violations.push(`${req.method} ${path}: a body without content-type application/json`);
      try {
        body = JSON.parse(text);
      } catch {
        state.violations.push(`${req.method} ${path}: a body that is not JSON`);
        return reply(400, { message: 'bad request data' });
      }
    }
    state.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (state.refuseWith) return reply(state.refuseWith, { message: 'Unauthorized' });
    const bad = (problems: string[]) => {
      state.violations.push(...problems.map((p) => `${req.method} ${path}: ${p}`));
      return reply(400, { message: problems.join('; ') });
    };
    const b = body as Json;
    const rule = /^\/api\/v1\/provisioning\/alert-rules\/([^/]+)$/.exec(path);
    const group = /^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && path === '/api/health')
      return reply(200, { database: 'ok', version: '12.2.1' });
    if (req.method === 'GET' && path === '/api/folders') return reply(200, folders);
    if (req.method === 'POST' && path === '/api/folders') {
      if (!isObject(b) || typeof b.title !== 'string') return bad(['a folder needs a title']);
      if (folders.some((f) => f.title === b.title))
        return reply(409, { message: 'a folder with the same name already exists' });
      const f = { id: folders.length + 1, uid: `f${folders.length + 1}`, title: b.title };
      folders.push(f);
      return reply(200, { ...f, url: `/dashboards/f/${f.uid}/` });
    }
    if (req.method === 'POST' && path === '/api/dashboards/db') {
      const problems = dashboardProblems(b);
      if (problems.length) return bad(problems);
      const d = b.dashboard as Json;
      const version = ((state.dashboards.get(String(d.uid))?.version as number) ?? 0) + 1;
      state.dashboards.set(String(d.uid), { ...d, version, folderUid: b.folderUid });
      const slug = String(d.title)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      return reply(200, { id: 1, uid: d.uid, url: `/d/${d.uid}/${slug}`, status: 'success', version, slug });
    }
    if (rule && req.method === 'GET') {
      const found = state.rules.get(decodeURIComponent(rule[1]!));
      return found ? reply(200, found) : reply(404, { message: 'rule not found' });
    }
    if (
      (rule && req.method === 'PUT') ||
      (req.method === 'POST' && path === '/api/v1/provisioning/alert-rules')
    ) {
      const problems = ruleProblems(b);
      if (rule && b?.uid !== undefined && b.uid !== decodeURIComponent(rule[1]!))
        problems.push('the uid in the body differs from the path');
      if (!folders.some((f) => f.uid === b?.folderUID))
        problems.push(`folderUID ${String(b?.folderUID)} is not a folder`);
      if (problems.length) return bad(problems);
      const uid = String(b.uid ?? `r${state.rules.size + 1}`);
      state.rules.set(uid, { ...b, uid, provenance: req.headers['x-disable-provenance'] ? '' : 'api' });
      const key = `${b.folderUID}/${b.ruleGroup}`;
      if (!state.groups.has(key))
        state.groups.set(key, { title: b.ruleGroup, folderUid: b.folderUID, interval: 60 });
      return reply(rule ? 200 : 201, state.rules.get(uid));
    }
    if (group && req.method === 'GET') {
      const g = state.groups.get(`${decodeURIComponent(group[1]!)}/${decodeURIComponent(group[2]!)}`);
      if (!g) return reply(404, { message: 'rule group not found' });
      return reply(200, {
        ...g,
        rules: [...state.rules.values()].filter(
          (r) => r.ruleGroup === g.title && r.folderUID === g.folderUid,
        ),
      });
    }
    if (group && req.method === 'PUT') {
      const problems: string[] = [];
      if (!isObject(b) || typeof b.interval !== 'number' || b.interval <= 0 || b.interval % 10 !== 0)
        problems.push('interval must be a positive number of seconds, a multiple of 10');
      if (!Array.isArray(b?.rules)) problems.push('rules must be a list');
      else for (const r of b.rules) problems.push(...ruleProblems(r).map((x) => `rules[]: ${x}`));
      if (problems.length) return bad(problems);
      state.groups.set(`${decodeURIComponent(group[1]!)}/${decodeURIComponent(group[2]!)}`, {
        title: b.title,
        folderUid: b.folderUid,
        interval: b.interval,
      });
      return reply(200, b);
    }
    state.violations.push(`${req.method} ${path}: not an endpoint the apply commands should call`);
    return reply(404, { message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
