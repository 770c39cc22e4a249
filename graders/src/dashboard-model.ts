// Reads a learner's answers/dashboard.json: a Grafana dashboard model (the foundation SDK's types) whose
// panels query the lab's Tempo data source. What stops reading is a UserError; what is wrong with the
// model's content (data source, schema version, TraceQL) becomes a problem for the grader to report.

import { UserError, versions } from '@dojo/course';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { parseDocument } from 'yaml';
import { readAnswerFile } from './answers.ts';
import type { ExpressionModel } from './grafana-expressions.ts';
import { expressionUids } from './grafana-expressions.ts';
import { grafanaRunsAsMetrics } from './tempo-metrics.ts';
import { checkTraceql, describeSyntaxError } from './traceql-syntax.ts';

/** The lab's provisioned Tempo data source (labs/grafana/datasources.yaml). */
export const tempoDatasource = { type: 'tempo', uid: 'tempo' } as const;
/** The dashboard schema version Grafana writes (labs/config/versions.json, the pinned image's). */
export const dashboardSchemaVersion = versions.grafana.dashboardSchemaVersion;

export interface TempoTarget {
  kind: 'tempo';
  refId: string;
  query: string;
  metrics: boolean;
  hidden: boolean;
  step?: string;
  instant: boolean;
  limit?: number;
  spss?: number;
}
export interface ExpressionTarget {
  kind: 'expression';
  refId: string;
  hidden: boolean;
  model: ExpressionModel;
}
export type Target = TempoTarget | ExpressionTarget;

export interface PanelView {
  id: number | undefined;
  title: string;
  type: string;
  targets: Target[];
  /** fieldConfig.defaults.unit */
  unit?: string;
  /** what is wrong with the panel's data sources or queries, one line each */
  problems: string[];
}

export interface DashboardView {
  path: string;
  model: Dashboard;
  panels: PanelView[];
  /** from `time.from` (now-15m → 900), capped by what the grader can replay */
  rangeSeconds: number;
  problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "now-15m" → 900 seconds; other forms (absolute times) → undefined. */
export function relativeSeconds(from: unknown): number | undefined {
  const m = typeof from === 'string' ? /^now-(\d+)([smhd])$/.exec(from.trim()) : null;
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'] : undefined;
}

function dsRef(v: unknown): { type?: string; uid?: string } | string | undefined {
  if (typeof v === 'string') return v;
  return isObject(v) ? { type: v.type as string | undefined, uid: v.uid as string | undefined } : undefined;
}

const showRef = (r: ReturnType<typeof dsRef>) =>
  r === undefined ? 'none' : typeof r === 'string' ? `"${r}"` : JSON.stringify(r);

function readTarget(
  raw: Json,
  panelDs: ReturnType<typeof dsRef>,
  where: string,
  problems: string[],
): Target | undefined {
  const refId = typeof raw.refId === 'string' && raw.refId ? raw.refId : '?';
  const at = `${where} query ${refId}`;
  const own = dsRef(raw.datasource);
  const mixed = typeof panelDs === 'object' && panelDs.uid === '-- Mixed --';
  const ref = own ?? (mixed ? undefined : panelDs);
  const hidden = raw.hide === true;
  if (typeof ref === 'object' && (expressionUids.includes(ref.uid ?? '') || ref.type === '__expr__')) {
    return { kind: 'expression', refId, hidden, model: raw as ExpressionModel };
  }
  if (
    typeof ref === 'string' ||
    (ref !== undefined && (ref.type !== tempoDatasource.type || ref.uid !== tempoDatasource.uid))
  ) {
    problems.push(
      `${at} uses data source ${showRef(ref)}; the lab's Tempo is {"type":"tempo","uid":"tempo"}`,
    );
    return undefined;
  }
  if (raw.queryType !== 'traceql') {
    problems.push(
      `${at} has queryType ${JSON.stringify(raw.queryType ?? null)}; TraceQL queries need "queryType": "traceql"`,
    );
    return undefined;
  }
  const query = typeof raw.query === 'string' ? raw.query.trim() : '';
  if (!query) {
    problems.push(`${at} has no TraceQL in "query"`);
    return undefined;
  }
  const syntax = checkTraceql(query);
  if (!syntax.ok) {
    problems.push(`${at}: invalid TraceQL, ${describeSyntaxError(syntax)}`);
    return undefined;
  }
  return {
    kind: 'tempo',
    refId,
    query,
    metrics: grafanaRunsAsMetrics(query),
    hidden,
    instant: raw.metricsQueryType === 'instant',
    ...(typeof raw.step === 'string' && raw.step ? { step: raw.step } : {}),
    ...(typeof raw.limit === 'number' ? { limit: raw.limit } : {}),
    ...(typeof raw.spss === 'number' ? { spss: raw.spss } : {}),
  };
}

/** V8's JSON message as "line L, column C: what"; where V8 gives no position, YAML's parser finds it. */
function jsonProblem(text: string, message: string): string {
  const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
  const m = /\(line (\d+) column (\d+)\)/.exec(message);
  if (m) return `line ${m[1]}, column ${m[2]}: ${what}`;
  if (text.trim() === '') return 'is empty';
  const pos = parseDocument(text).errors[0]?.linePos?.[0];
  return pos ? `line ${pos.line}, column ${pos.col}: ${what}` : `: ${what}`;
}

function flatten(panels: unknown[]): Json[] {
  return panels
    .filter(isObject)
    .flatMap((p) => (p.type === 'row' ? flatten(Array.isArray(p.panels) ? p.panels : []) : [p]));
}

export function readDashboard(where: string): DashboardView {
  const { path, text } = readAnswerFile(where, 'dashboard.json', 'Grafana dashboard model (JSON)');
  let model: unknown;
  try {
    model = JSON.parse(text);
  } catch (e) {
    throw new UserError(
      `${path} ${jsonProblem(text, (e as Error).message)} (the file must be one JSON dashboard model)`,
    );
  }
  if (!isObject(model)) throw new UserError(`${path}: expected a JSON object (a Grafana dashboard model)`);
  if (isObject(model.dashboard) && !('panels' in model))
    throw new UserError(
      `${path} holds an API request body; save the dashboard model itself (the value of "dashboard")`,
    );
  if (!Array.isArray(model.panels))
    throw new UserError(
      `${path}: no "panels" list; is it a Grafana dashboard model? (export it with "Export as JSON")`,
    );
  const problems: string[] = [];
  if (model.schemaVersion !== dashboardSchemaVersion)
    problems.push(
      `schemaVersion is ${JSON.stringify(model.schemaVersion ?? null)}; Grafana ${versions.images.grafana.split(':')[1]} (the lab's) writes ${dashboardSchemaVersion}`,
    );
  if (typeof model.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(model.uid))
    problems.push(
      '"uid" must be set (letters, digits, - and _, at most 40): it is the dashboard\'s address in Grafana',
    );
  if (typeof model.title !== 'string' || !model.title.trim()) problems.push('"title" must be set');
  const range = relativeSeconds(isObject(model.time) ? model.time.from : undefined);
  if (range === undefined) problems.push('"time" must be relative, e.g. {"from": "now-15m", "to": "now"}');
  const panels = flatten(model.panels).map((p, i): PanelView => {
    const title = typeof p.title === 'string' && p.title.trim() ? p.title.trim() : `panel #${i + 1}`;
    const panelProblems: string[] = [];
    const panelDs = dsRef(p.datasource);
    const targets = (Array.isArray(p.targets) ? p.targets : [])
      .filter(isObject)
      .map((t) => readTarget(t, panelDs, `"${title}"`, panelProblems))
      .filter((t): t is Target => t !== undefined);
    const unit =
      isObject(p.fieldConfig) && isObject(p.fieldConfig.defaults) ? p.fieldConfig.defaults.unit : undefined;
    return {
      id: typeof p.id === 'number' ? p.id : undefined,
      title,
      type: typeof p.type === 'string' ? p.type : '',
      targets,
      ...(typeof unit === 'string' ? { unit } : {}),
      problems: panelProblems,
    };
  });
  if (panels.length === 0) problems.push('the dashboard has no panels');
  return {
    path,
    model: model as unknown as Dashboard,
    panels,
    rangeSeconds: Math.min(range ?? 900, 20 * 60),
    problems,
  };
}

export type { Panel, RowPanel };
