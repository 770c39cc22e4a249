// `dojo dashboard apply` and `dojo alerts apply`: load the learner's answers/dashboard.json and
// answers/alerts.yaml into the kind lab's Grafana through its HTTP API, and print where to look.

import { parseArgv, UserError } from '@dojo/course';
import { readAlerts, readDashboard } from '@dojo/graders';
import type { Rule } from '@grafana/grafana-foundation-sdk/alerting';
import { type Folder, GrafanaApi } from '../grafana/grafana-api.ts';
import { colour, say } from '../terminal.ts';

/** The folder the lab provisions its own dashboards into (labs/grafana/dashboards.yaml). */
const labFolder = 'Tracing Dojo';

function fileArg(argv: string[], usage: string, fallback: string): string {
  const { values, positionals } = parseArgv(
    { args: argv, allowPositionals: true, options: { file: { type: 'string' } } },
    `usage: ${usage}`,
  );
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals[0]}"; usage: ${usage}`);
  return String(values.file ?? fallback);
}

export async function dashboardApply(argv: string[]): Promise<number> {
  const file = fileArg(
    argv,
    'dojo dashboard apply [--file answers/dashboard.json]',
    'answers/dashboard.json',
  );
  const view = readDashboard(file);
  for (const p of [...view.problems, ...view.panels.flatMap((x) => x.problems)])
    say(colour.yellow(`warning: ${p} (\`dojo grade dashboard\` grades it)`));
  const grafana = new GrafanaApi();
  const version = await grafana.version();
  const folder = await grafana.folder(labFolder);
  const saved = await grafana.saveDashboard(view.model as unknown as Record<string, unknown>, folder.uid);
  say(
    `applied "${String(view.model.title)}" to Grafana ${version}, folder ${labFolder} (version ${saved.version})`,
  );
  say(colour.bold(`${grafana.baseUrl}${saved.url}`));
  return 0;
}

export async function alertsApply(argv: string[]): Promise<number> {
  const file = fileArg(argv, 'dojo alerts apply [--file answers/alerts.yaml]', 'answers/alerts.yaml');
  const alerts = readAlerts(file);
  for (const p of [...alerts.problems, ...alerts.rules.flatMap((r) => r.problems)])
    say(colour.yellow(`warning: ${p} (\`dojo grade alerts\` grades it)`));
  const grafana = new GrafanaApi();
  const version = await grafana.version();
  const groups = new Map<string, { folderUid: string; group: string; interval: number }>();
  // Rules share folders: each is looked up (or created) once.
  const folders = new Map<string, Folder>();
  for (const rule of alerts.rules) {
    if (!rule.uid)
      throw new UserError(`${alerts.path}: rule "${rule.title}" has no uid; Grafana needs one to keep it`);
    const title = rule.folder || labFolder;
    const folder = folders.get(title) ?? (await grafana.folder(title));
    folders.set(title, folder);
    const r = rule.raw;
    // The provisioning API's rule: the file's fields, plus where it lives (folder, group, organisation).
    const body: Rule & { uid: string } = {
      uid: rule.uid,
      title: rule.title,
      condition: rule.condition,
      data: (r.data as Rule['data']).map((d) => ({
        ...d,
        relativeTimeRange: d.relativeTimeRange ?? { from: 0, to: 0 },
      })),
      noDataState: rule.noDataState,
      execErrState: rule.execErrState,
      for: typeof r.for === 'string' ? r.for : '0s',
      folderUID: folder.uid,
      ruleGroup: rule.group,
      orgID: rule.orgId,
      ...(r.labels ? { labels: r.labels as Record<string, string> } : {}),
      ...(r.annotations ? { annotations: r.annotations as Record<string, string> } : {}),
      ...(r.isPaused === true ? { isPaused: true } : {}),
    };
    const how = await grafana.saveRule(body);
    say(`${how} rule "${rule.title}" (${rule.uid}) in ${title} / ${rule.group}`);
    groups.set(`${folder.uid}\u0000${rule.group}`, {
      folderUid: folder.uid,
      group: rule.group,
      interval: rule.intervalSeconds,
    });
  }
  for (const g of groups.values()) await grafana.setGroupInterval(g.folderUid, g.group, g.interval);
  say(`applied ${alerts.rules.length} rules to Grafana ${version}; watch them at:`);
  say(colour.bold(`${grafana.baseUrl}/alerting/list`));
  return 0;
}
