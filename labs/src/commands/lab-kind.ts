// `dojo lab up|down|status` and `dojo scenario set|reset` on the kind path.
import { findScenario } from '../catalog.ts';
import {
  activeScenario,
  KubeClient,
  kindLabDown,
  kindLabStatus,
  kindLabUp,
  kindUrls,
  switchScenario,
  waitForRollouts,
} from '../kind/index.ts';
import { colour, table } from '../terminal.ts';
import type { LabUpFlags } from './lab.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function kindUp(flags: LabUpFlags): Promise<number> {
  const scenario = findScenario(flags.scenario ?? 'healthy');
  const started = Date.now();
  say(colour.bold(`Tracing Dojo — starting the lab (kind, scenario ${scenario.id})`));
  await kindLabUp(scenario.id, say);
  say('');
  say(`  Shop (web)       ${colour.cyan(kindUrls.web)}`);
  say(`  Grafana          ${colour.cyan(kindUrls.grafana)}`);
  say(`  Tempo API        ${colour.cyan(kindUrls.tempo)}   (TEMPO_URL)`);
  say(`  OTLP endpoint    ${colour.cyan(kindUrls.otlp)}   (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  say(`  Scenario         ${colour.bold(scenario.id)} — ${scenario.title}`);
  say(
    colour.dim(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s · stop it with \`make lab-down\``),
  );
  return 0;
}

export async function kindDown(): Promise<number> {
  await kindLabDown(say);
  return 0;
}

export async function kindStatus(): Promise<number> {
  const rows = await kindLabStatus();
  const scenario = await activeScenario(new KubeClient());
  say(colour.bold(`Lab on kind · scenario ${scenario ?? '?'}`));
  say(
    table(
      ['workload', 'ready', 'replicas'],
      rows.map((r) => [r.name, r.ready ? colour.green('yes') : colour.red('no'), r.detail]),
    ),
  );
  return rows.every((r) => r.ready) ? 0 : 1;
}

export async function kindScenario(id: string, reset: boolean): Promise<number> {
  const client = new KubeClient();
  const result = await switchScenario(client, id, {
    reset,
    progress: say,
    wait: (names) => waitForRollouts(client, names, say),
  });
  say(colour.green(`✔ scenario ${result.scenario} active on kind${reset ? ', Tempo emptied' : ''}`));
  return 0;
}
