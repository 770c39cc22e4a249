// `dojo lab up|down|status`: starts, stops and reports the lab in the local mode (kind: see kind/).
import {
  checkHttpUrl,
  findScenario,
  labPaths,
  loadCatalog,
  mysteryId,
  mysteryOnKind,
  mysteryTitle,
  pickMystery,
  seededPick,
  seedFromEnv,
  UserError,
} from '@dojo/course';
import { kindAvailable } from '../kind/kind-lab.ts';
import type { LabStatus } from '../local/lab-state.ts';
import { localLabDown, localLabStatus, localLabUp } from '../local/local-lab.ts';
import { readStatus } from '../local/supervisor-client.ts';
import { describeTempo } from '../tempo-backend.ts';
import { colour, table } from '../terminal.ts';

export interface LabUpFlags {
  mode?: string;
  /** undefined: healthy, or whatever the running lab already runs */
  scenario?: string;
  loadgen: boolean;
  rps: number;
  externalTempo: boolean;
  /** start the scenario (or, without one, a broken scenario picked at random) without naming it */
  mystery?: boolean;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export function parseRps(raw: string | undefined): number {
  if (raw === undefined) return Number(process.env.LOADGEN_RPS ?? 2);
  const rps = Number(raw);
  if (!Number.isFinite(rps) || rps <= 0 || rps > 200)
    throw new UserError(`--rps must be a number from 0.1 to 200, got "${raw}"`);
  return rps;
}

export async function labUp(flags: LabUpFlags): Promise<number> {
  if (flags.mode !== undefined && flags.mode !== 'local' && flags.mode !== 'kind') {
    throw new UserError(`--mode must be kind or local, got "${flags.mode}"`);
  }
  const seed = seedFromEnv();
  const scenario = flags.mystery
    ? (flags.scenario ? findScenario(flags.scenario) : pickMystery(loadCatalog().scenarios, seededPick(seed)))
        .id
    : findScenario(flags.scenario ?? 'healthy').id;
  if (flags.externalTempo) externalTempoUrls();
  const running = await readStatus(labPaths());
  if (running && running.phase !== 'failed' && flags.scenario && running.scenario !== flags.scenario) {
    throw new UserError(
      `the lab is already running scenario ${running.scenario}; switch with \`dojo scenario set ${flags.mystery ? '--mystery ' : ''}${flags.scenario}\`, or stop it first (\`make lab-down\`)`,
    );
  }
  // The course's main path is kind; a laptop without Docker and kind gets the local mode.
  const mode = flags.mode ?? (running ? 'local' : (await kindAvailable()) ? 'kind' : 'local');
  if (mode === 'kind') {
    if (flags.mystery) throw new UserError(mysteryOnKind);
    const { kindUp } = await import('./lab-kind.ts');
    return kindUp({ ...flags, scenario });
  }
  const started = Date.now();
  const shown = running?.scenario ?? (flags.mystery ? mysteryId : scenario);
  say(colour.bold(`Tracing Dojo — starting the lab (local mode, scenario ${shown})`));
  const status = await localLabUp(
    {
      scenario,
      loadgen: flags.loadgen,
      rps: flags.rps,
      externalTempo: flags.externalTempo,
      ...(flags.mystery ? { mystery: true } : {}),
    },
    say,
  );
  say('');
  printWhere(status);
  // The tiers inherit these from the caller (supervisor.ts); say so, or an empty Tempo is a mystery.
  if (process.env.OTEL_SDK_DISABLED === 'true')
    say(`  Tracing          ${colour.bold('off')} (OTEL_SDK_DISABLED=true): the tiers send no spans`);
  else if (process.env.DOJO_INSTRUMENTATIONS !== undefined)
    say(
      `  Instrumented     ${process.env.DOJO_INSTRUMENTATIONS || 'nothing'} (DOJO_INSTRUMENTATIONS; unset it for http, express, pg)`,
    );
  if (process.env.OTEL_SDK_DISABLED !== 'true' && process.env.OTEL_TRACES_SAMPLER)
    say(
      `  Sampling         ${process.env.OTEL_TRACES_SAMPLER} ${process.env.OTEL_TRACES_SAMPLER_ARG ?? ''} (OTEL_TRACES_SAMPLER)`,
    );
  say(
    colour.dim(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s · stop it with \`make lab-down\``),
  );
  return 0;
}

/** --external-tempo: both URLs must be set and be http(s) URLs, before anything starts. */
function externalTempoUrls(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of ['TEMPO_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    if (!env[name])
      throw new UserError(
        '--external-tempo needs TEMPO_URL and OTEL_EXPORTER_OTLP_ENDPOINT to name the running Tempo',
      );
    checkHttpUrl(name, env[name]);
  }
}

export function printWhere(status: LabStatus): void {
  const title =
    status.scenario === mysteryId
      ? mysteryTitle
      : (loadCatalog().scenarios.find((s) => s.id === status.scenario)?.title ?? '');
  say(`  Shop (web)       ${colour.cyan(status.webUrl)}`);
  say(`  Tempo API        ${colour.cyan(status.tempoUrl)}   (TEMPO_URL)`);
  if (status.tempo) say(`  Tempo            ${describeTempo(status.tempo)}`);
  say(`  OTLP endpoint    ${colour.cyan(status.otlpEndpoint)}   (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  say(`  Scenario         ${colour.bold(status.scenario)} — ${title}`);
  if (status.seed)
    say(`  Seed             ${status.seed}   (DOJO_SEED: your values in Lab 2, \`npx dojo questions\`)`);
  say(`  Load generator   ${status.loadgen.enabled ? `${status.loadgen.rps} req/s` : 'off'}`);
  say(`  Try              npx dojo query '{ resource.service.name = "api" }'`);
}

/** Which lab is running: the local supervisor answers, or else a kind cluster can be asked. */
export async function runningMode(): Promise<'local' | 'kind' | undefined> {
  if (await readStatus(labPaths())) return 'local';
  return (await kindAvailable()) ? 'kind' : undefined;
}

export async function labDown(): Promise<number> {
  if ((await runningMode()) === 'kind') {
    const { kindDown } = await import('./lab-kind.ts');
    return kindDown();
  }
  await localLabDown(say);
  return 0;
}

const stateMark: Record<string, (s: string) => string> = {
  ready: colour.green,
  external: colour.cyan,
  starting: colour.yellow,
  crashed: colour.red,
  stopped: colour.dim,
};

export async function labStatus(json: boolean): Promise<number> {
  if ((await runningMode()) === 'kind') {
    const { kindStatus } = await import('./lab-kind.ts');
    return kindStatus();
  }
  const status = await localLabStatus();
  if (json) {
    say(JSON.stringify(status, null, 2));
    return 0;
  }
  say(colour.bold(`Lab ${status.phase} (local mode) since ${status.startedAt}`));
  say(
    table(
      ['component', 'state', 'pid', 'port', 'restarts'],
      status.components.map((c) => [
        c.name,
        (stateMark[c.state] ?? String)(c.state),
        c.pid ? String(c.pid) : '',
        c.port ? String(c.port) : (c.url ?? ''),
        String(c.restarts),
      ]),
    ),
  );
  say('');
  printWhere(status);
  const unhealthy = status.components.some((c) => c.state !== 'ready' && c.state !== 'external');
  return status.phase === 'running' && !unhealthy ? 0 : 1;
}
