// `dojo lab up|down|status` and `dojo scenario set|reset` on the kind path.
import { findScenario } from '@dojo/course';
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

/** The kind lab's status in the local status's field names where they mean the same (`lab status --json`). */
export async function kindStatusReport(client = new KubeClient()) {
  const rows = await kindLabStatus(client);
  const healthy = rows.every((r) => r.ready);
  return {
    mode: 'kind' as const,
    phase: healthy ? ('running' as const) : ('starting' as const),
    scenario: (await activeScenario(client)) ?? null,
    webUrl: kindUrls.web,
    grafanaUrl: kindUrls.grafana,
    tempoUrl: kindUrls.tempo,
    otlpEndpoint: kindUrls.otlp,
    components: rows.map((r) => ({ name: r.name, state: r.ready ? 'ready' : 'starting', detail: r.detail })),
  };
}

export async function kindStatus(json = false): Promise<number> {
  const status = await kindStatusReport();
  const code = status.phase === 'running' ? 0 : 1;
  if (json) {
    say(JSON.stringify(status, null, 2));
    return code;
  }
  say(colour.bold(`Lab on kind · scenario ${status.scenario ?? '?'}`));
  say(
    table(
      ['workload', 'ready', 'replicas'],
      status.components.map((c) => [
        c.name,
        c.state === 'ready' ? colour.green('yes') : colour.red('no'),
        c.detail,
      ]),
    ),
  );
  return code;
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
