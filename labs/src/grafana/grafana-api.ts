// Grafana's HTTP API as `dojo dashboard apply` and `dojo alerts apply` use it on kind: health, folders,
// dashboards (POST /api/dashboards/db) and alert rules (/api/v1/provisioning/alert-rules, rule groups).
// Every failure is one UserError line naming Grafana's answer.

import { ports, UserError } from '@dojo/course';
import type { Rule } from '@grafana/grafana-foundation-sdk/alerting';

/** GRAFANA_URL, or the lab's Grafana on kind (localhost, the Grafana port + DOJO_PORT_OFFSET). */
export function grafanaUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GRAFANA_URL || `http://localhost:${ports.grafana}`).replace(/\/+$/, '');
}

export interface Folder {
  uid: string;
  title: string;
}

/** The provisioning API's rule group: its rules share a folder and an evaluation interval (seconds). */
export interface RuleGroup {
  title: string;
  folderUid: string;
  interval: number;
  rules: Rule[];
}

export class GrafanaApi {
  readonly baseUrl: string;

  constructor(baseUrl: string = grafanaUrl()) {
    this.baseUrl = baseUrl;
  }

  /** The answer's JSON; 404 is undefined when `missingOk`; any other failure is one line. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    missingOk = false,
  ): Promise<T | undefined> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new UserError(
        `Grafana at ${this.baseUrl} is unreachable (GRAFANA_URL); it runs on the kind lab: start it with \`dojo lab up --mode kind\``,
      );
    }
    const text = await res.text();
    if (res.status === 404 && missingOk) return undefined;
    if (!res.ok) {
      let said = text.trim().split('\n')[0]!.slice(0, 200);
      try {
        said = (JSON.parse(text) as { message?: string }).message ?? said;
      } catch {
        // not JSON: the first line says enough
      }
      throw new UserError(
        `Grafana at ${this.baseUrl} refused ${method} ${path.split('?')[0]} (HTTP ${res.status}${said ? `: ${said}` : ''})`,
      );
    }
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      throw new UserError(`${this.baseUrl}${path} did not answer JSON: is GRAFANA_URL Grafana?`);
    }
  }

  async version(): Promise<string> {
    const health = await this.call<{ version?: string }>('GET', '/api/health');
    return health?.version ?? 'unknown';
  }

  /** The folder with this title, created when there is none. */
  async folder(title: string): Promise<Folder> {
    const folders = (await this.call<Folder[]>('GET', '/api/folders?limit=1000')) ?? [];
    const found = folders.find((f) => f.title === title);
    if (found) return found;
    return (await this.call<Folder>('POST', '/api/folders', { title }))!;
  }

  async saveDashboard(
    dashboard: Record<string, unknown>,
    folderUid: string,
  ): Promise<{ uid: string; url: string; version: number }> {
    const body = {
      dashboard: { ...dashboard, id: null },
      folderUid,
      overwrite: true,
      message: 'dojo dashboard apply',
    };
    return (await this.call<{ uid: string; url: string; version: number }>(
      'POST',
      '/api/dashboards/db',
      body,
    ))!;
  }

  /** Creates or replaces one alert rule; editable in the UI afterwards (no provenance). */
  async saveRule(rule: Rule & { uid: string }): Promise<'created' | 'updated'> {
    const path = `/api/v1/provisioning/alert-rules/${encodeURIComponent(rule.uid)}`;
    const noProvenance = { 'X-Disable-Provenance': 'true' };
    const existing = await this.call<Rule>('GET', path, undefined, {}, true);
    if (existing) {
      await this.call('PUT', path, rule, noProvenance);
      return 'updated';
    }
    await this.call('POST', '/api/v1/provisioning/alert-rules', rule, noProvenance);
    return 'created';
  }

  /** Sets a rule group's evaluation interval, keeping its rules. */
  async setGroupInterval(folderUid: string, group: string, seconds: number): Promise<void> {
    const path = `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group)}`;
    const current = await this.call<RuleGroup>('GET', path);
    if (current?.interval === seconds) return;
    await this.call(
      'PUT',
      path,
      { ...current, title: group, folderUid, interval: seconds },
      { 'X-Disable-Provenance': 'true' },
    );
  }
}
