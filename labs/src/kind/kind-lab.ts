// The kind path of `dojo lab up|down|status`: create the cluster if missing, build and load the
// sample-app image, apply every manifest, and follow each rollout with progress.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Progress, repoRoot, UserError } from '@dojo/course';
import { KubeClient } from './k8s-http.ts';
import {
  clusterName,
  exposed,
  type K8sObject,
  namespace,
  renderManifests,
  sampleAppImage,
} from './manifests.ts';

export { clusterName };

const run = promisify(execFile);
const kindConfig = fileURLToPath(new URL('../../../kind-config.yaml', import.meta.url));

export const kindNeeds = 'the kind path needs a running Docker engine and `kind` on PATH';

/** True when a Docker engine answers and `kind` is installed: then `make lab-up` takes the kind path. */
export async function kindAvailable(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    await run('kind', ['version'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function stream(command: string, args: string[], progress: Progress, cwd = repoRoot): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (c: Buffer) => {
      tail = (tail + c.toString()).slice(-1500);
      for (const line of c.toString().split('\n'))
        if (line.trim()) progress(`  ${line.trim().slice(0, 120)}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new UserError(`${command} could not start: ${e.message}`)));
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new UserError(`${command} ${args[0]} failed (exit ${code}): ${tail.trim().split('\n').pop()}`),
          ),
    );
  });
}

async function clusterExists(): Promise<boolean> {
  const { stdout } = await run('kind', ['get', 'clusters']);
  return stdout.split('\n').includes(clusterName);
}

export type Rollout = {
  metadata: { generation?: number };
  spec: { replicas?: number };
  status?: Record<string, number>;
};

/** Rolled out as `kubectl rollout status` means it: the new template observed, updated, available, old pods gone. */
export function rolledOut(d: Rollout): boolean {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.replicas ?? 0) <= want
  );
}

type PodList = {
  items?: {
    metadata: { name: string };
    status?: {
      phase?: string;
      containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
      initContainerStatuses?: { state?: { waiting?: { reason?: string } } }[];
    };
  }[];
};

/** Why a workload is not ready yet, from its pods: the reason a learner would look up (ImagePullBackOff, …). */
async function podReasons(client: KubeClient, name: string): Promise<string> {
  const selector = encodeURIComponent(`app.kubernetes.io/name=${name}`);
  const res = await client.call<PodList>(
    'GET',
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${selector}`,
  );
  const reasons = (res.body.items ?? []).map((pod) => {
    const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
      .map((c) => c.state?.waiting?.reason)
      .find(Boolean);
    return waiting ?? pod.status?.phase ?? 'Pending';
  });
  return reasons.length > 0 ? [...new Set(reasons)].join(', ') : 'no pod yet';
}

function describe(d: Rollout | undefined): string {
  if (!d) return 'missing';
  const s = d.status ?? {};
  return `${s.availableReplicas ?? 0}/${d.spec.replicas ?? 1} available`;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** how often the API is asked; a progress line for what is still pending every `reportEveryMs` */
  pollMs?: number;
  reportEveryMs?: number;
}

/** Waits until every named Deployment has rolled out, printing each as it becomes ready and what still waits. */
export async function waitForRollouts(
  client: KubeClient,
  names: string[],
  progress: Progress,
  options: WaitOptions = {},
): Promise<void> {
  const { timeoutMs = 600_000, pollMs = 2000, reportEveryMs = 10_000 } = options;
  const pending = new Set(names);
  const started = Date.now();
  let lastReport = started;
  progress(`› waiting for ${names.join(', ')} to roll out`);
  while (pending.size > 0) {
    const states = new Map<string, Rollout | undefined>();
    for (const name of [...pending]) {
      const d = await client.get<Rollout>('Deployment', name, namespace);
      if (d && rolledOut(d)) {
        pending.delete(name);
        progress(`✔ ${name} ready (${Math.round((Date.now() - started) / 1000)} s)`);
      } else states.set(name, d);
    }
    if (pending.size === 0) break;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs || Date.now() - lastReport >= reportEveryMs) {
      const detail: string[] = [];
      for (const [name, d] of states)
        detail.push(`${name} ${describe(d)} (${await podReasons(client, name)})`);
      if (elapsed > timeoutMs)
        throw new UserError(
          `still waiting after ${Math.round(timeoutMs / 1000)} s for ${detail.join('; ')}; see \`kubectl -n ${namespace} get pods\``,
        );
      progress(`  … ${Math.round(elapsed / 1000)} s: ${detail.join('; ')}`);
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function applyAll(client: KubeClient, objects: K8sObject[], progress: Progress): Promise<void> {
  for (const o of objects) {
    await client.apply(o);
    progress(`  applied ${o.kind}/${o.metadata.name}`);
  }
}

export async function kindLabUp(scenario: string, progress: Progress): Promise<void> {
  if (!(await kindAvailable())) throw new UserError(kindNeeds);
  if (await clusterExists()) progress(`› cluster ${clusterName} exists; reusing it`);
  else {
    progress(`› creating kind cluster ${clusterName} (a minute or two)`);
    await stream('kind', ['create', 'cluster', '--config', kindConfig, '--wait', '120s'], progress);
  }
  progress(`› building ${sampleAppImage}`);
  await stream('docker', ['build', '-t', sampleAppImage, '-f', 'sample-app/Dockerfile', '.'], progress);
  progress('› loading the image into the cluster');
  await stream('kind', ['load', 'docker-image', sampleAppImage, '--name', clusterName], progress);
  const client = new KubeClient();
  const objects = renderManifests(scenario, { since: new Date().toISOString() });
  progress(`› applying ${objects.length} objects (server-side apply, strict field validation)`);
  await applyAll(client, objects, progress);
  await waitForRollouts(
    client,
    objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name),
    progress,
  );
}

export async function kindLabDown(progress: Progress): Promise<boolean> {
  if (!(await clusterExists())) {
    progress(`› no kind cluster ${clusterName}`);
    return false;
  }
  progress(`› deleting kind cluster ${clusterName}`);
  await stream('kind', ['delete', 'cluster', '--name', clusterName], progress);
  return true;
}

export interface WorkloadStatus {
  name: string;
  ready: boolean;
  /** "1/1 available", or what holds it back ("0/1 available (ImagePullBackOff)") */
  detail: string;
}

export async function kindLabStatus(client = new KubeClient()): Promise<WorkloadStatus[]> {
  const rows: WorkloadStatus[] = [];
  for (const o of renderManifests().filter((x) => x.kind === 'Deployment')) {
    const d = await client.get<Rollout>('Deployment', o.metadata.name, namespace);
    const ready = Boolean(d && rolledOut(d));
    const why = ready || !d ? '' : ` (${await podReasons(client, o.metadata.name)})`;
    rows.push({ name: o.metadata.name, ready, detail: `${describe(d)}${why}` });
  }
  return rows;
}

export const kindUrls = {
  web: `http://localhost:${exposed.web}`,
  grafana: `http://localhost:${exposed.grafana}`,
  tempo: `http://localhost:${exposed.tempoHttp}`,
  otlp: `http://localhost:${exposed.otlpHttp}`,
};
