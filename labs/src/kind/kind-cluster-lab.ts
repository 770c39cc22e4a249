// The lab on a kind cluster behind the Lab interface: up/down run kind and docker, status and scenario
// switches go through the Kubernetes API (the ConfigMap holds the active scenario).
import { mysteryOnKind, type Progress, type Scenario, UserError } from '@dojo/course';
import type { Lab, LabOptions, LabReport } from '../lab.ts';
import { KubeClient } from './k8s-http.ts';
import { kindLabDown, kindLabStatus, kindLabUp, kindUrls, waitForRollouts } from './kind-lab.ts';
import { activeScenario, switchScenario } from './scenario-switch.ts';

const endpoints = {
  webUrl: kindUrls.web,
  tempoUrl: kindUrls.tempo,
  otlpEndpoint: kindUrls.otlp,
  grafanaUrl: kindUrls.grafana,
};

export class KindLab implements Lab {
  readonly mode = 'kind' as const;
  private given: KubeClient | undefined;

  /** Without a client, one is made on first use: before `up` there is no cluster, so no kubeconfig context. */
  constructor(client?: KubeClient) {
    this.given = client;
  }

  private get client(): KubeClient {
    this.given ??= new KubeClient();
    return this.given;
  }

  async up(options: LabOptions, progress: Progress): Promise<LabReport> {
    if (options.mystery) throw new UserError(mysteryOnKind);
    await kindLabUp(options.scenario.id, progress);
    return this.status();
  }

  async down(progress: Progress): Promise<void> {
    await kindLabDown(progress);
  }

  /** The workloads' rollouts, in the local status's field names where they mean the same. */
  async status(): Promise<LabReport> {
    const rows = await kindLabStatus(this.client);
    return {
      mode: 'kind',
      phase: rows.every((r) => r.ready) ? 'running' : 'starting',
      scenario: (await activeScenario(this.client)) ?? null,
      ...endpoints,
      components: rows.map((r) => ({
        name: r.name,
        state: r.ready ? 'ready' : 'starting',
        detail: r.detail,
      })),
    };
  }

  activeScenario(): Promise<string | undefined> {
    return activeScenario(this.client);
  }

  setScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport> {
    return this.switch(scenario, false, mystery, progress);
  }

  resetScenario(scenario: Scenario, mystery: boolean, progress: Progress): Promise<LabReport> {
    return this.switch(scenario, true, mystery, progress);
  }

  async endpoints() {
    return endpoints;
  }

  private async switch(scenario: Scenario, reset: boolean, mystery: boolean, progress: Progress) {
    if (mystery) throw new UserError(mysteryOnKind);
    await switchScenario(this.client, scenario, {
      reset,
      progress,
      wait: (names) => waitForRollouts(this.client, names, progress),
    });
    return this.status();
  }
}
