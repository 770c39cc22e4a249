// The class Tempo on kind: a real Tempo 3 in microservices mode, multi-tenant (a tenant per learner), for a
// class beyond what one single-binary Tempo holds. Tempo 3's distributed write path goes through Kafka
// (Redpanda here) to the live-stores (recent data, searchable at once) and the block-builders (blocks in
// object storage, MinIO here); queries go query-frontend → queriers. Every component's requests and limits
// are set, sized for a class of 30 labs at the lab's default load (about 600 spans/s in all; see
// docs/architecture.md). The live-store timings and the search cutoff are the lab's own (labs/config/tempo.yaml).
import { ports, renderTempoConfig, versions } from '@dojo/course';
import { parse, stringify } from 'yaml';
import type { K8sObject } from './manifests.ts';
import { tempoPod } from './tempo-pod.ts';

export const classNamespace = 'tracing-dojo-class';

export interface ClassTempoSize {
  distributors: number;
  liveStores: number;
  blockBuilders: number;
  queriers: number;
  /** Kafka partitions: one per block-builder, each builder assigned its own */
  partitions: number;
}

export const classTempoSize: ClassTempoSize = {
  distributors: 2,
  liveStores: 2,
  blockBuilders: 2,
  queriers: 2,
  partitions: 2,
};

/** Requests and memory limits per replica: the figures docs/architecture.md's table is made from. */
export const classTempoResources = {
  distributor: { cpu: '250m', memory: '256Mi', limit: '512Mi' },
  'live-store': { cpu: '500m', memory: '1Gi', limit: '2Gi' },
  'block-builder': { cpu: '250m', memory: '512Mi', limit: '1Gi' },
  querier: { cpu: '500m', memory: '512Mi', limit: '1Gi' },
  'query-frontend': { cpu: '250m', memory: '256Mi', limit: '512Mi' },
  'backend-scheduler': { cpu: '100m', memory: '128Mi', limit: '256Mi' },
  'backend-worker': { cpu: '250m', memory: '512Mi', limit: '1Gi' },
  redpanda: { cpu: '1', memory: '1536Mi', limit: '2Gi' },
  minio: { cpu: '250m', memory: '512Mi', limit: '1Gi' },
} as const;
export type ClassComponent = keyof typeof classTempoResources;

const kafka = 'redpanda:9092';
const topic = 'tempo-ingest';
const bucket = 'tempo';
const grpcPort = ports.tempoGrpcInternal;

/** The Tempo config every component reads, with `-target` choosing the component. */
export function renderClassTempoConfig(size: ClassTempoSize = classTempoSize): string {
  // Shared with the lab's single binary, so a class sees traces as soon as a lab does.
  const lab = parse(renderTempoConfig({ mode: 'kind', dataDir: '/var/tempo' })) as {
    live_store: Record<string, unknown>;
    query_frontend: Record<string, unknown>;
  };
  const { ring: _ring, ...liveStoreTimings } = lab.live_store;
  const config = {
    multitenancy_enabled: true,
    stream_over_http_enabled: true,
    server: { http_listen_port: ports.tempoHttp, grpc_listen_port: grpcPort, log_level: 'warn' },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
            http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
          },
        },
      },
    },
    ingest: { kafka: { address: kafka, topic } },
    live_store: {
      ...liveStoreTimings,
      wal: { path: '/var/tempo/live-store/traces' },
      shutdown_marker_dir: '/var/tempo/live-store/shutdown-marker',
    },
    block_builder: {
      assigned_partitions: Object.fromEntries(
        Array.from({ length: size.blockBuilders }, (_, i) => [`block-builder-${i}`, [i]]),
      ),
    },
    querier: { frontend_worker: { frontend_address: `query-frontend:${grpcPort}` } },
    query_frontend: lab.query_frontend,
    backend_scheduler: {
      local_work_path: '/var/tempo/backend-scheduler',
      provider: { compaction: { compaction: { block_retention: '24h' } } },
    },
    backend_worker: {
      backend_scheduler_addr: `backend-scheduler:${ports.tempoHttp}`,
      compaction: { block_retention: '24h' },
      ring: { kvstore: { store: 'memberlist' } },
    },
    memberlist: {
      abort_if_cluster_join_fails: false,
      bind_port: ports.tempoMemberlist,
      join_members: [`dns+tempo-gossip-ring.${classNamespace}.svc.cluster.local:${ports.tempoMemberlist}`],
    },
    storage: {
      trace: {
        backend: 's3',
        s3: {
          bucket,
          endpoint: 'minio:9000',
          access_key: 'tempo',
          secret_key: 'tempo-class',
          insecure: true,
        },
        wal: { path: '/var/tempo/wal' },
      },
    },
    usage_report: { reporting_enabled: false },
  };
  return `# The class Tempo (microservices mode, a tenant per learner): rendered by labs/src/kind/class-tempo.ts.\n${stringify(config)}`;
}

const labelsOf = (name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'tracing-dojo-class',
});
const meta = (name: string, extra: Record<string, string> = {}) => ({
  name,
  namespace: classNamespace,
  labels: { ...labelsOf(name), ...extra },
});
const limits = (c: ClassComponent) => {
  const r = classTempoResources[c];
  return { requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.limit } };
};
const gossip = { 'tracing-dojo.example/gossip': 'tempo' };

/** A Tempo component's pod; `data` is its /var/tempo (null: a StatefulSet's volume claim provides it). */
function componentPod(
  component: ClassComponent,
  extraArgs: string[] = [],
  data: Record<string, unknown> | null = { emptyDir: {} },
) {
  return tempoPod(
    {
      name: component,
      args: [`-target=${component}`, '-config.file=/etc/tempo/tempo.yaml', ...extraArgs],
      ports: [
        { name: 'http', containerPort: ports.tempoHttp },
        { name: 'grpc', containerPort: grpcPort },
        { name: 'gossip', containerPort: ports.tempoMemberlist },
        ...(component === 'distributor'
          ? [
              { name: 'otlp-grpc', containerPort: ports.otlpGrpc },
              { name: 'otlp-http', containerPort: ports.otlpHttp },
            ]
          : []),
      ],
      readyAfterFailures: 60,
      resources: limits(component),
    },
    'tempo-class',
    data,
  );
}

function workload(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  replicas: number,
  pod: object,
  storage?: string,
): K8sObject {
  const template = { metadata: { labels: { ...labelsOf(name), ...gossip } }, spec: pod };
  const selector = { matchLabels: labelsOf(name) };
  if (kind === 'Deployment')
    return { apiVersion: 'apps/v1', kind, metadata: meta(name), spec: { replicas, selector, template } };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: meta(name),
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: 'Parallel',
      selector,
      template,
      ...(storage
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
              },
            ],
          }
        : {}),
    },
  };
}

function service(
  name: string,
  servicePorts: { name: string; port: number }[],
  extra: Record<string, unknown> = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      selector: labelsOf(name),
      ports: servicePorts.map((p) => ({ protocol: 'TCP', name: p.name, port: p.port, targetPort: p.port })),
      ...extra,
    },
  };
}

const http = { name: 'http', port: ports.tempoHttp };
const grpc = { name: 'grpc', port: grpcPort };

/** Every object of the class Tempo, for `kubectl apply -f` (dojo class tempo manifests). */
export function renderClassTempo(size: ClassTempoSize = classTempoSize): K8sObject[] {
  if (size.partitions !== size.blockBuilders)
    throw new Error('each block-builder consumes one Kafka partition: partitions must equal blockBuilders');
  const redpandaPod = {
    containers: [
      {
        name: 'redpanda',
        image: versions.images.redpanda,
        args: [
          'redpanda',
          'start',
          '--overprovisioned',
          '--mode=dev-container',
          '--smp=1',
          '--kafka-addr=PLAINTEXT://0.0.0.0:9092',
          `--advertise-kafka-addr=PLAINTEXT://redpanda-0.redpanda.${classNamespace}.svc.cluster.local:9092`,
        ],
        ports: [{ name: 'kafka', containerPort: 9092 }],
        resources: limits('redpanda'),
        volumeMounts: [{ name: 'data', mountPath: '/var/lib/redpanda/data' }],
      },
    ],
  };
  const minioPod = {
    containers: [
      {
        name: 'minio',
        image: versions.images.minio,
        command: ['sh', '-euc', `mkdir -p /data/${bucket} && minio server /data`],
        env: [
          { name: 'MINIO_ROOT_USER', value: 'tempo' },
          { name: 'MINIO_ROOT_PASSWORD', value: 'tempo-class' },
        ],
        ports: [{ name: 's3', containerPort: 9000 }],
        readinessProbe: { httpGet: { path: '/minio/health/ready', port: 9000 }, periodSeconds: 5 },
        resources: limits('minio'),
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
  };
  // The topic must have one partition per block-builder before Tempo writes to it.
  const topicJob: K8sObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('redpanda-topic'),
    spec: {
      backoffLimit: 30,
      template: {
        metadata: { labels: labelsOf('redpanda-topic') },
        spec: {
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'rpk',
              image: versions.images.redpanda,
              command: [
                'rpk',
                'topic',
                'create',
                topic,
                `--partitions=${size.partitions}`,
                `--brokers=${kafka}`,
              ],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: classNamespace, labels: labelsOf(classNamespace) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('tempo-class'),
      data: { 'tempo.yaml': renderClassTempoConfig(size) },
    },
    workload('StatefulSet', 'redpanda', 1, redpandaPod, '10Gi'),
    service('redpanda', [{ name: 'kafka', port: 9092 }], { clusterIP: 'None' }),
    topicJob,
    workload('StatefulSet', 'minio', 1, minioPod, '20Gi'),
    service('minio', [{ name: 's3', port: 9000 }]),
    workload('Deployment', 'distributor', size.distributors, componentPod('distributor')),
    // The tenants' entry: OTLP from every learner's lab, with X-Scope-OrgID.
    service('distributor', [
      http,
      { name: 'otlp-grpc', port: ports.otlpGrpc },
      { name: 'otlp-http', port: ports.otlpHttp },
    ]),
    workload(
      'StatefulSet',
      'live-store',
      size.liveStores,
      componentPod('live-store', ['-live-store.instance-availability-zone=zone-a'], null),
      '10Gi',
    ),
    service('live-store', [http, grpc], { clusterIP: 'None' }),
    workload('StatefulSet', 'block-builder', size.blockBuilders, componentPod('block-builder')),
    service('block-builder', [http], { clusterIP: 'None' }),
    workload('Deployment', 'querier', size.queriers, componentPod('querier')),
    workload('Deployment', 'query-frontend', 1, componentPod('query-frontend')),
    // The tenants' queries (TEMPO_URL of every learner and grader), with X-Scope-OrgID.
    service('query-frontend', [http, grpc]),
    workload('Deployment', 'backend-scheduler', 1, componentPod('backend-scheduler')),
    service('backend-scheduler', [http, grpc]),
    workload('Deployment', 'backend-worker', 1, componentPod('backend-worker')),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('tempo-gossip-ring'),
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: gossip,
        ports: [
          { protocol: 'TCP', name: 'gossip', port: ports.tempoMemberlist, targetPort: ports.tempoMemberlist },
        ],
      },
    },
  ];
}

/** The class Tempo as one YAML stream, for `kubectl apply -f -`. */
export const classTempoYaml = (size: ClassTempoSize = classTempoSize) =>
  renderClassTempo(size)
    .map((o) => stringify(o, { lineWidth: 0, blockQuote: 'literal' }))
    .join('---\n');
