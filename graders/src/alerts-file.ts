// Reads a learner's answers/alerts.yaml: alert rules in Grafana's file-provisioning format (apiVersion 1,
// groups of rules with data queries and expressions), the same file Grafana on kind loads. A file YAML
// cannot read stops grading (UserError); each rule's mistakes become problems the grader reports.
import { UserError } from '@dojo/course';
import { isMap, parseDocument } from 'yaml';
import { readAnswerFile } from './answers.ts';
import { tempoDatasource } from './dashboard-model.ts';
import { type ExpressionModel, expressionInputs, expressionUids } from './grafana-expressions.ts';
import { grafanaRunsAsMetrics } from './tempo-metrics.ts';
import { checkTraceql, describeSyntaxError } from './traceql-syntax.ts';

export const noDataStates = ['NoData', 'Alerting', 'OK', 'KeepLast'] as const;
export const execErrStates = ['Error', 'Alerting', 'OK', 'KeepLast'] as const;
/** The replay holds 40 minutes, the fault the last 20: what a rule may look back over and wait for. */
export const limits = { lookBackSeconds: 20 * 60, forSeconds: 10 * 60 };

export interface RuleQuery {
  refId: string;
  /** seconds before the evaluation time */
  from: number;
  to: number;
  query: string;
  instant: boolean;
  step?: string;
}

export interface AlertRule {
  uid: string;
  title: string;
  group: string;
  /** the group's folder (its title in Grafana) and organisation */
  folder: string;
  orgId: number;
  /** the rule as written, for `dojo alerts apply` */
  raw: Record<string, unknown>;
  intervalSeconds: number;
  condition: string;
  forSeconds: number;
  noDataState: (typeof noDataStates)[number];
  execErrState: (typeof execErrStates)[number];
  queries: RuleQuery[];
  expressions: { refId: string; model: ExpressionModel }[];
  /** what is wrong with the rule as written, one line each; a rule with problems is not run */
  problems: string[];
}

export interface AlertsFile {
  path: string;
  rules: AlertRule[];
  /** problems of the file as a whole (apiVersion, groups) */
  problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
/** A Prometheus duration as Grafana reads `for` and `interval` ("1m", "1h30m", "90s") → seconds. */
export function durationSeconds(raw: unknown): number | undefined {
  if (typeof raw === 'number') return undefined;
  const text = String(raw ?? '').trim();
  if (text === '0') return 0;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * units[u!]!;
  return total;
}

function readQuery(raw: Json, rule: string, problems: string[]): RuleQuery | undefined {
  const refId = String(raw.refId ?? '?');
  const at = `rule "${rule}" query ${refId}`;
  if (raw.datasourceUid !== tempoDatasource.uid) {
    problems.push(
      `${at} uses datasourceUid ${JSON.stringify(raw.datasourceUid ?? null)}; the lab's Tempo is "tempo" (expressions: "__expr__")`,
    );
    return undefined;
  }
  const model = isObject(raw.model) ? raw.model : {};
  const range = isObject(raw.relativeTimeRange) ? raw.relativeTimeRange : {};
  const from = Number(range.from ?? Number.NaN);
  const to = Number(range.to ?? 0);
  if (!(from > 0) || !(to >= 0) || to >= from) {
    problems.push(`${at} needs relativeTimeRange {from: seconds back, to: 0}, e.g. {from: 300, to: 0}`);
    return undefined;
  }
  if (from > limits.lookBackSeconds) {
    problems.push(
      `${at} looks back ${from / 60} minutes; keep relativeTimeRange.from at most ${limits.lookBackSeconds} (a trace alert answers for the last minutes)`,
    );
    return undefined;
  }
  const query = typeof model.query === 'string' ? model.query.trim() : '';
  if (model.queryType !== 'traceql' || !query) {
    problems.push(`${at} needs model.queryType: traceql and the TraceQL in model.query`);
    return undefined;
  }
  const syntax = checkTraceql(query);
  if (!syntax.ok) {
    problems.push(`${at}: invalid TraceQL, ${describeSyntaxError(syntax)}`);
    return undefined;
  }
  if (!grafanaRunsAsMetrics(query)) {
    problems.push(
      `${at} is a search; Grafana alerts only on TraceQL metrics (e.g. … | rate() or | quantile_over_time(duration, .95))`,
    );
    return undefined;
  }
  return {
    refId,
    from,
    to,
    query,
    instant: model.metricsQueryType === 'instant',
    ...(typeof model.step === 'string' && model.step ? { step: model.step } : {}),
  };
}

function readRule(raw: Json, group: Json & { name: string; intervalSeconds: number }): AlertRule {
  const title =
    typeof raw.title === 'string' && raw.title.trim()
      ? raw.title.trim()
      : `(untitled rule ${String(raw.uid ?? '')})`;
  const problems: string[] = [];
  const uid = typeof raw.uid === 'string' ? raw.uid : '';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(uid))
    problems.push(`rule "${title}" needs a uid (letters, digits, - and _, at most 40)`);
  const forSeconds = raw.for === undefined ? 0 : durationSeconds(raw.for);
  if (forSeconds === undefined)
    problems.push(`rule "${title}": for ${JSON.stringify(raw.for)} is not a duration like 2m`);
  else if (forSeconds > limits.forSeconds)
    problems.push(
      `rule "${title}" waits ${forSeconds / 60} minutes (for); keep it at most ${limits.forSeconds / 60}m so it fires while the fault lasts`,
    );
  const noData = (raw.noDataState ?? 'NoData') as AlertRule['noDataState'];
  if (!noDataStates.includes(noData))
    problems.push(`rule "${title}": noDataState must be one of ${noDataStates.join(', ')}`);
  const execErr = (raw.execErrState ?? 'Alerting') as AlertRule['execErrState'];
  if (!execErrStates.includes(execErr))
    problems.push(`rule "${title}": execErrState must be one of ${execErrStates.join(', ')}`);
  const data = Array.isArray(raw.data) ? raw.data.filter(isObject) : [];
  if (data.length === 0) problems.push(`rule "${title}" has no data (queries and expressions)`);
  const queries: RuleQuery[] = [];
  const expressions: AlertRule['expressions'] = [];
  for (const d of data) {
    if (expressionUids.includes(String(d.datasourceUid))) {
      const model = (isObject(d.model) ? d.model : {}) as ExpressionModel;
      const found = expressionInputs(model);
      if ('problem' in found)
        problems.push(`rule "${title}" expression ${String(d.refId)}: ${found.problem}`);
      else expressions.push({ refId: String(d.refId), model });
    } else {
      const q = readQuery(d, title, problems);
      if (q) queries.push(q);
    }
  }
  const refIds = data.map((d) => String(d.refId ?? ''));
  const condition = typeof raw.condition === 'string' ? raw.condition : '';
  if (!refIds.includes(condition))
    problems.push(
      `rule "${title}": condition ${JSON.stringify(condition)} is not one of its refIds (${refIds.join(', ')})`,
    );
  for (const e of expressions) {
    const found = expressionInputs(e.model);
    for (const input of 'inputs' in found ? found.inputs : [])
      if (!refIds.includes(input))
        problems.push(`rule "${title}" expression ${e.refId} reads ${input}, which the rule does not define`);
  }
  return {
    uid,
    title,
    group: group.name,
    folder: typeof group.folder === 'string' ? group.folder : '',
    orgId: typeof group.orgId === 'number' && group.orgId > 0 ? group.orgId : 1,
    raw,
    intervalSeconds: group.intervalSeconds,
    condition,
    forSeconds: forSeconds ?? 0,
    noDataState: noData,
    execErrState: execErr,
    queries,
    expressions,
    problems,
  };
}

export function readAlerts(where: string): AlertsFile {
  const { path, text } = readAnswerFile(where, 'alerts.yaml', 'alert rules (Grafana provisioning YAML)');
  const doc = parseDocument(text, { uniqueKeys: true });
  const e = doc.errors[0];
  if (e) {
    const pos = e.linePos?.[0];
    throw new UserError(
      `${path}${pos ? ` line ${pos.line}, column ${pos.col}` : ''}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')} (alerts.yaml is Grafana's provisioning YAML)`,
    );
  }
  if (!isMap(doc.contents))
    throw new UserError(
      `${path}: expected "apiVersion: 1" and "groups:" (Grafana's alert-rule provisioning format)`,
    );
  const root = doc.toJS() as Json;
  const problems: string[] = [];
  if (root.apiVersion !== 1)
    problems.push(
      `apiVersion is ${JSON.stringify(root.apiVersion ?? null)}; Grafana's provisioning files say apiVersion: 1`,
    );
  const groups = Array.isArray(root.groups) ? root.groups.filter(isObject) : [];
  if (groups.length === 0)
    throw new UserError(
      `${path}: no "groups:" list of rule groups (Grafana's alert-rule provisioning format)`,
    );
  const rules: AlertRule[] = [];
  for (const [i, g] of groups.entries()) {
    const name = typeof g.name === 'string' && g.name.trim() ? g.name : `group #${i + 1}`;
    if (name.startsWith('group #')) problems.push(`${name} needs a name`);
    if (typeof g.folder !== 'string' || !g.folder.trim())
      problems.push(`group "${name}" needs a folder (its title in Grafana)`);
    const interval = durationSeconds(g.interval);
    if (interval === undefined || interval <= 0 || interval % 10 !== 0)
      problems.push(
        `group "${name}": interval ${JSON.stringify(g.interval ?? null)} must be a duration in whole 10 s, e.g. 1m`,
      );
    const list = Array.isArray(g.rules) ? g.rules.filter(isObject) : [];
    if (list.length === 0) problems.push(`group "${name}" has no rules`);
    for (const r of list)
      rules.push(readRule(r, { ...g, name, intervalSeconds: interval && interval > 0 ? interval : 60 }));
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (r.uid && seen.has(r.uid)) r.problems.push(`rule "${r.title}": uid ${r.uid} is used twice`);
    seen.add(r.uid);
  }
  return { path, rules, problems };
}
