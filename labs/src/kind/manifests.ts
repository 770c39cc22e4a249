// Renders every Kubernetes object of the kind lab from the single sources: ports.json, versions.json,
// the scenario catalog, the shared Tempo config and the Collector/Grafana files beside them.
import { readFileSync } from 'node:fs';
import { ports, renderTempoConfig, versions } from '@dojo/course';
import { tierNodeFlags } from '@dojo/sample-app/runtime-flags';
import { isTraced, type TierNetwork, tierEnv } from '@dojo/sample-app/tiers';
import { sampleAppVersion } from '@dojo/sample-app/version';
import { stringify } from 'yaml';
import { tempoPod } from './tempo-pod.ts';

/** The kind cluster; kind names its kubeconfig context `kind-<cluster>`. */
export const clusterName = 'tracing-dojo';
export const namespace = 'tracing-dojo';
export const scenarioConfigMap = 'dojo-scenario';
export const appTiers = ['payments', 'api', 'web', 'loadgen'] as const;
/** The delivery pipeline's emitter: restarted with the tiers, it reports a scenario switch as a deploy. */
export const pipelineWorkload = 'pipeline';

/** When the active scenario went live, and the one it replaced (see the local supervisor's Rollout). */
export interface ScenarioRollout {
  since: string;
  previous?: { id: string; since: string };
}

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are plain JSON documents here.
  [key: string]: any;
};

export const sampleAppImage = `tracing-dojo/sample-app:${sampleAppVersion}`;

/** Host ports reach the cluster through NodePorts derived from them (8080 → 30080, 3200 → 30200, …). */
export const nodePortFor = (port: number) => 30000 + (port % 1000);
export const exposed = {
  web: ports.web,
  grafana: ports.grafana,
  tempoHttp: ports.tempoHttp,
  otlpGrpc: ports.otlpGrpc,
  otlpHttp: ports.otlpHttp,
} as const;

const file = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

function labels(component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': 'tracing-dojo',
    'app.kubernetes.io/component':
      component === 'tempo' || component === 'grafana' || component === 'otel-collector'
        ? 'observability'
        : 'shop',
  };
}

const meta = (name: string) => ({ name, namespace, labels: labels(name) });

function service(
  name: string,
  servicePorts: { name: string; port: number; targetPort: number; nodePort?: number }[],
): K8sObject {
  const nodePort = servicePorts.some((p) => p.nodePort);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      type: nodePort ? 'NodePort' : 'ClusterIP',
      selector: { 'app.kubernetes.io/name': name },
      ports: servicePorts.map((p) => ({ protocol: 'TCP', ...p })),
    },
  };
}

function deployment(
  name: string,
  pod: Record<string, unknown>,
  strategy: 'Recreate' | 'RollingUpdate' = 'RollingUpdate',
): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: 1,
      strategy: { type: strategy },
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { metadata: { labels: labels(name) }, spec: pod },
    },
  };
}

/** A container's environment, in the order written. */
const envList = (vars: Record<string, string>) =>
  Object.entries(vars).map(([name, value]) => ({ name, value }));

const resources = (cpu: string, memory: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

function tempo(): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('tempo'),
      data: { 'tempo.yaml': renderTempoConfig({ mode: 'kind', dataDir: '/var/tempo' }) },
    },
    deployment(
      'tempo',
      tempoPod(
        {
          name: 'tempo',
          args: ['-config.file=/etc/tempo/tempo.yaml', '-target=all'],
          ports: [
            { name: 'http', containerPort: ports.tempoHttp },
            { name: 'otlp-grpc', containerPort: ports.otlpGrpc },
            { name: 'otlp-http', containerPort: ports.otlpHttp },
          ],
          readyAfterFailures: 30,
          resources: resources('100m', '256Mi', '768Mi'),
        },
        'tempo',
        // Ephemeral by design: `dojo scenario reset` restarts Tempo to empty it. Memory-backed, so it counts
        // against the container's memory limit.
        { emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
      ),
      'Recreate',
    ),
    service('tempo', [
      {
        name: 'http',
        port: ports.tempoHttp,
        targetPort: ports.tempoHttp,
        nodePort: nodePortFor(ports.tempoHttp),
      },
      { name: 'otlp-grpc', port: ports.otlpGrpc, targetPort: ports.otlpGrpc },
      { name: 'otlp-http', port: ports.otlpHttp, targetPort: ports.otlpHttp },
    ]),
  ];
}

function postgres(): K8sObject[] {
  return [
    deployment(
      'postgres',
      {
        containers: [
          {
            name: 'postgres',
            image: versions.images.postgres,
            env: envList({
              POSTGRES_USER: 'dojo',
              POSTGRES_PASSWORD: 'dojo',
              POSTGRES_DB: 'shop',
              PGDATA: '/var/lib/postgresql/data/pgdata',
            }),
            ports: [{ name: 'postgres', containerPort: 5432 }],
            readinessProbe: {
              exec: { command: ['pg_isready', '-U', 'dojo', '-d', 'shop'] },
              periodSeconds: 3,
            },
            resources: resources('100m', '256Mi', '512Mi'),
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
      'Recreate',
    ),
    service('postgres', [{ name: 'postgres', port: ports.postgres, targetPort: 5432 }]),
  ];
}

const scenarioFromConfigMap = {
  name: 'DOJO_SCENARIO',
  valueFrom: { configMapKeyRef: { name: scenarioConfigMap, key: 'DOJO_SCENARIO' } },
};

/** The cluster's addresses; web reaches api through its netproxy sidecar on loopback. */
const kindNetwork: TierNetwork = {
  api: `http://api:${ports.api}`,
  apiLink: `http://127.0.0.1:${ports.netproxy}`,
  payments: `http://payments:${ports.payments}`,
  web: `http://web:${ports.web}`,
  databaseUrl: `postgres://dojo:dojo@postgres:${ports.postgres}/shop`,
  otlpEndpoint: `http://otel-collector:${ports.otlpHttp}`,
};

function appEnv(tier: string, port?: number) {
  return [
    scenarioFromConfigMap,
    { name: 'HOST', value: '0.0.0.0' },
    ...envList(tierEnv(tier, kindNetwork, port)),
    { name: 'DOJO_ENVIRONMENT', value: 'kind' },
  ];
}

/**
 * The network link between web and api (sample-app/src/netproxy): a sidecar in web's pod, so web reaches
 * api through it on loopback, and it restarts with web on every scenario switch, reading the same ConfigMap.
 */
function netproxySidecar(): Record<string, unknown> {
  return {
    name: 'netproxy',
    image: sampleAppImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['node', ...tierNodeFlags, '/app/sample-app/src/netproxy/main.ts'],
    env: [
      scenarioFromConfigMap,
      { name: 'HOST', value: '127.0.0.1' },
      { name: 'PORT', value: String(ports.netproxy) },
      { name: 'API_URL', value: `http://api:${ports.api}` },
    ],
    resources: resources('10m', '48Mi', '128Mi'),
    readinessProbe: { tcpSocket: { port: ports.netproxy }, periodSeconds: 3 },
  };
}

/** The pipeline emitter (sample-app/src/pipeline): no port, no SDK preload; it builds its own tracers. */
function pipeline(): K8sObject[] {
  const fromScenario = (key: string) => ({
    name: key,
    valueFrom: { configMapKeyRef: { name: scenarioConfigMap, key, optional: key !== 'DOJO_SCENARIO' } },
  });
  return [
    deployment(pipelineWorkload, {
      containers: [
        {
          name: pipelineWorkload,
          image: sampleAppImage,
          imagePullPolicy: 'IfNotPresent',
          command: ['node', ...tierNodeFlags, '/app/sample-app/src/pipeline/main.ts'],
          env: [
            ...[
              'DOJO_SCENARIO',
              'DOJO_SCENARIO_SINCE',
              'DOJO_PREVIOUS_SCENARIO',
              'DOJO_PREVIOUS_SCENARIO_SINCE',
            ].map(fromScenario),
            { name: 'PIPELINE_CHANGES_PER_MINUTE', value: '3' },
            { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://otel-collector:${ports.otlpHttp}` },
            { name: 'OTEL_BSP_SCHEDULE_DELAY', value: '500' },
            { name: 'DOJO_ENVIRONMENT', value: 'kind' },
          ],
          resources: resources('10m', '64Mi', '192Mi'),
        },
      ],
    }),
  ];
}

function appTier(tier: (typeof appTiers)[number]): K8sObject[] {
  const port = tier === 'loadgen' ? undefined : ports[tier];
  const entry = `/app/sample-app/src/${tier}/main.ts`;
  const command = isTraced(tier)
    ? ['node', ...tierNodeFlags, '--import', '/app/sample-app/src/telemetry/register.ts', entry]
    : ['node', ...tierNodeFlags, entry];
  const container: Record<string, unknown> = {
    name: tier,
    image: sampleAppImage,
    imagePullPolicy: 'IfNotPresent',
    command,
    env: appEnv(tier, port),
    resources: resources('50m', '96Mi', '256Mi'),
    ...(port
      ? {
          ports: [{ name: 'http', containerPort: port }],
          readinessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 3 },
        }
      : {}),
  };
  const pod: Record<string, unknown> = {
    containers: tier === 'web' ? [container, netproxySidecar()] : [container],
  };
  if (tier === 'api') {
    // The schema and seed, idempotent: retried by the kubelet until PostgreSQL answers.
    pod.initContainers = [
      {
        name: 'prepare-database',
        image: sampleAppImage,
        imagePullPolicy: 'IfNotPresent',
        command: ['node', '/app/sample-app/src/db/prepare.ts'],
        env: [{ name: 'DATABASE_URL', value: `postgres://dojo:dojo@postgres:${ports.postgres}/shop` }],
        resources: resources('50m', '96Mi', '256Mi'),
      },
    ];
  }
  const objects: K8sObject[] = [deployment(tier, pod)];
  if (port) {
    objects.push(
      service(tier, [
        { name: 'http', port, targetPort: port, ...(tier === 'web' ? { nodePort: nodePortFor(port) } : {}) },
      ]),
    );
  }
  return objects;
}

function collector(): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('otel-collector'),
      data: { 'collector.yaml': file('../../collector/collector.yaml') },
    },
    deployment('otel-collector', {
      containers: [
        {
          name: 'otel-collector',
          image: versions.images.otelCollector,
          args: ['--config=/etc/otelcol/collector.yaml'],
          ports: [
            { name: 'otlp-grpc', containerPort: 4317 },
            { name: 'otlp-http', containerPort: 4318 },
          ],
          readinessProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 5 },
          resources: resources('50m', '128Mi', '256Mi'),
          volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol' }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'otel-collector' } }],
    }),
    service('otel-collector', [
      { name: 'otlp-grpc', port: ports.otlpGrpc, targetPort: 4317, nodePort: nodePortFor(ports.otlpGrpc) },
      { name: 'otlp-http', port: ports.otlpHttp, targetPort: 4318, nodePort: nodePortFor(ports.otlpHttp) },
    ]),
  ];
}

function grafana(): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('grafana'),
      data: {
        'datasources.yaml': file('../../grafana/datasources.yaml'),
        'dashboards.yaml': file('../../grafana/dashboards.yaml'),
        'red-from-traces.json': file('../../grafana/red-from-traces.json'),
      },
    },
    deployment('grafana', {
      containers: [
        {
          name: 'grafana',
          image: versions.images.grafana,
          env: envList({
            GF_AUTH_ANONYMOUS_ENABLED: 'true',
            GF_AUTH_ANONYMOUS_ORG_ROLE: 'Admin',
            GF_AUTH_DISABLE_LOGIN_FORM: 'true',
            GF_ANALYTICS_REPORTING_ENABLED: 'false',
            // Grafana 12.2 keeps alerting on Tempo (TraceQL metrics) behind this toggle; Lab 2's alerts need it.
            GF_FEATURE_TOGGLES_ENABLE: 'tempoAlerting',
          }),
          ports: [{ name: 'http', containerPort: 3000 }],
          readinessProbe: { httpGet: { path: '/api/health', port: 3000 }, periodSeconds: 5 },
          resources: resources('50m', '128Mi', '384Mi'),
          volumeMounts: [
            {
              name: 'provisioning',
              mountPath: '/etc/grafana/provisioning/datasources/dojo.yaml',
              subPath: 'datasources.yaml',
            },
            {
              name: 'provisioning',
              mountPath: '/etc/grafana/provisioning/dashboards/dojo.yaml',
              subPath: 'dashboards.yaml',
            },
            {
              name: 'provisioning',
              mountPath: '/var/lib/grafana/dashboards/red-from-traces.json',
              subPath: 'red-from-traces.json',
            },
          ],
        },
      ],
      volumes: [{ name: 'provisioning', configMap: { name: 'grafana' } }],
    }),
    service('grafana', [
      { name: 'http', port: ports.grafana, targetPort: 3000, nodePort: nodePortFor(ports.grafana) },
    ]),
  ];
}

/** Every object of the lab, in apply order. */
export function renderManifests(scenario = 'healthy', rollout?: ScenarioRollout): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'tracing-dojo' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(scenarioConfigMap),
      data: {
        DOJO_SCENARIO: scenario,
        ...(rollout
          ? {
              DOJO_SCENARIO_SINCE: rollout.since,
              ...(rollout.previous
                ? {
                    DOJO_PREVIOUS_SCENARIO: rollout.previous.id,
                    DOJO_PREVIOUS_SCENARIO_SINCE: rollout.previous.since,
                  }
                : {}),
            }
          : {}),
      },
    },
    ...tempo(),
    ...postgres(),
    ...collector(),
    ...grafana(),
    ...appTiers.flatMap(appTier),
    ...pipeline(),
  ];
}

/** The kind cluster config: one node, host ports mapped to the NodePorts above. */
export function renderKindConfig(): string {
  const doc = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: clusterName,
    nodes: [
      {
        role: 'control-plane',
        image: versions.images.kindNode,
        extraPortMappings: Object.values(exposed).map((hostPort) => ({
          containerPort: nodePortFor(hostPort),
          hostPort,
          listenAddress: '127.0.0.1',
          protocol: 'TCP',
        })),
      },
    ],
  };
  return `# Generated by labs/src/kind/manifests.ts from labs/config/ports.json and versions.json; a test keeps it in step.\n${stringify(doc)}`;
}

export const toYaml = (objects: K8sObject[]) => objects.map((o) => stringify(o)).join('---\n');
