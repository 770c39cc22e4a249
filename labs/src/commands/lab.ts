// `dojo lab up|down|status` on whichever lab runs (which-lab.ts), with one print-out of where everything is.
import { loadCatalog, mysteryId, mysteryTitle, UserError } from '@dojo/course';
import type { LabReport } from '../lab.ts';
import { checkMode, type LabUpFlags, labOptions, namedScenario } from '../lab-options.ts';
import { describeTempo } from '../tempo-backend.ts';
import { colour, say, table } from '../terminal.ts';
import { labToStart, runningLab } from '../which-lab.ts';

export async function labUp(flags: LabUpFlags & { mode?: string | undefined }): Promise<number> {
  checkMode(flags.mode);
  const options = labOptions(flags);
  const lab = await labToStart(flags.mode);
  const named = namedScenario(flags);
  const running = lab.mode === 'local' ? await lab.activeScenario() : undefined;
  if (running && named && running !== named)
    throw new UserError(
      `the lab is already running scenario ${running}; switch with \`dojo scenario set ${options.mystery ? '--mystery ' : ''}${named}\`, or stop it first (\`make lab-down\`)`,
    );
  const started = Date.now();
  const shown = running ?? (options.mystery ? mysteryId : options.scenario.id);
  say(
    colour.bold(
      `Tracing Dojo — starting the lab (${lab.mode === 'local' ? 'local mode' : 'kind'}, scenario ${shown})`,
    ),
  );
  const report = await lab.up(options, say);
  say('');
  printWhere(report);
  if (lab.mode === 'local') printTierSettings();
  say(
    colour.dim(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s · stop it with \`make lab-down\``),
  );
  return 0;
}

/** The local tiers inherit these from the caller (supervisor.ts); say so, or an empty Tempo is a mystery. */
function printTierSettings(env: NodeJS.ProcessEnv = process.env): void {
  if (env.OTEL_SDK_DISABLED === 'true')
    say(`  Tracing          ${colour.bold('off')} (OTEL_SDK_DISABLED=true): the tiers send no spans`);
  else if (env.DOJO_INSTRUMENTATIONS !== undefined)
    say(
      `  Instrumented     ${env.DOJO_INSTRUMENTATIONS || 'nothing'} (DOJO_INSTRUMENTATIONS; unset it for http, express, pg)`,
    );
  if (env.OTEL_SDK_DISABLED !== 'true' && env.OTEL_TRACES_SAMPLER)
    say(
      `  Sampling         ${env.OTEL_TRACES_SAMPLER} ${env.OTEL_TRACES_SAMPLER_ARG ?? ''} (OTEL_TRACES_SAMPLER)`,
    );
}

/** Where everything is: the one print-out of `lab up` and `lab status`, on both paths. */
export function printWhere(report: LabReport): void {
  const title =
    report.scenario === mysteryId
      ? mysteryTitle
      : (loadCatalog().scenarios.find((s) => s.id === report.scenario)?.title ?? '');
  say(`  Shop (web)       ${colour.cyan(report.webUrl)}`);
  if (report.grafanaUrl) say(`  Grafana          ${colour.cyan(report.grafanaUrl)}`);
  say(`  Tempo API        ${colour.cyan(report.tempoUrl)}   (TEMPO_URL)`);
  if (report.tempo) say(`  Tempo            ${describeTempo(report.tempo)}`);
  say(`  OTLP endpoint    ${colour.cyan(report.otlpEndpoint)}   (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  say(`  Scenario         ${colour.bold(report.scenario ?? '?')} — ${title}`);
  if (report.seed)
    say(`  Seed             ${report.seed}   (DOJO_SEED: your values in Lab 2, \`npx dojo questions\`)`);
  if (report.loadgen)
    say(`  Load generator   ${report.loadgen.enabled ? `${report.loadgen.rps} req/s` : 'off'}`);
  say(`  Try              npx dojo query '{ resource.service.name = "api" }'`);
}

export async function labDown(): Promise<number> {
  await (await runningLab()).down(say);
  return 0;
}

const stateMark: Record<string, (s: string) => string> = {
  ready: colour.green,
  external: colour.cyan,
  starting: colour.yellow,
  crashed: colour.red,
  stopped: colour.dim,
};

function componentTable(report: LabReport): string {
  if (report.mode === 'kind')
    return table(
      ['workload', 'ready', 'replicas'],
      report.components.map((c) => [
        c.name,
        c.state === 'ready' ? colour.green('yes') : colour.red('no'),
        c.detail ?? '',
      ]),
    );
  return table(
    ['component', 'state', 'pid', 'port', 'restarts'],
    report.components.map((c) => [
      c.name,
      (stateMark[c.state] ?? String)(c.state),
      c.pid ? String(c.pid) : '',
      c.port ? String(c.port) : (c.url ?? ''),
      String(c.restarts ?? 0),
    ]),
  );
}

export async function labStatus(json: boolean): Promise<number> {
  const lab = await runningLab();
  const report = await lab.status();
  const healthy =
    report.phase === 'running' &&
    report.components.every((c) => c.state === 'ready' || c.state === 'external');
  if (json) {
    say(JSON.stringify(report, null, 2));
    // A script reads the local lab's phase from the JSON; kind's exit code says whether every rollout is done.
    return lab.mode === 'kind' && !healthy ? 1 : 0;
  }
  const since = report.startedAt ? ` since ${report.startedAt}` : '';
  say(colour.bold(`Lab ${report.phase} (${lab.mode === 'local' ? 'local mode' : 'kind'})${since}`));
  say(componentTable(report));
  say('');
  printWhere(report);
  return healthy ? 0 : 1;
}
