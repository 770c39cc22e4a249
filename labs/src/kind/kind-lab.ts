// The kind path of `dojo lab up|down|status`: create the cluster if missing, build and load the
// sample-app image, apply every manifest, and follow each rollout with progress.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Progress, UserError } from '../user-error.ts';
import { KubeClient } from './k8s-http.ts';
import { exposed, type K8sObject, namespace, renderManifests, sampleAppImage } from './manifests.ts';

const run = promisify(execFile);
export const clusterName = 'tracing-dojo';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const kindConfig = fileURLToPath(new URL('../../../kind-config.yaml', import.meta.url));

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

type Rollout = {
  metadata: { generation?: number };
  spec: { replicas?: number };
  status?: Record<string, number>;
};

function rolledOut(d: Rollout): boolean {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

/** Waits until every named Deployment has rolled out, printing each as it becomes ready. */
export async function waitForRollouts(
  client: KubeClient,
  names: string[],
  progress: Progress,
  timeoutMs = 600_000,
) {
  const pending = new Set(names);
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const d = await client.get<Rollout>('Deployment', name, namespace);
      if (d && rolledOut(d)) {
        pending.delete(name);
        progress(`✔ ${name} ready`);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline)
      throw new UserError(
        `still waiting for ${[...pending].join(', ')} after ${timeoutMs / 1000} s; see \`kubectl -n ${namespace} get pods\``,
      );
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function applyAll(client: KubeClient, objects: K8sObject[], progress: Progress): Promise<void> {
  for (const o of objects) {
    await client.apply(o);
    progress(`  applied ${o.kind}/${o.metadata.name}`);
  }
}

export async function kindLabUp(scenario: string, progress: Progress): Promise<void> {
  if (!(await kindAvailable()))
    throw new UserError('the kind path needs a running Docker engine and `kind` on PATH');
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
  const objects = renderManifests(scenario);
  progress(`› applying ${objects.length} objects (server-side apply, strict field validation)`);
  await applyAll(client, objects, progress);
  progress('› waiting for every rollout');
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

export async function kindLabStatus(): Promise<{ name: string; ready: boolean; detail: string }[]> {
  const client = new KubeClient();
  const rows = [];
  for (const o of renderManifests().filter((x) => x.kind === 'Deployment')) {
    const d = await client.get<Rollout>('Deployment', o.metadata.name, namespace);
    const s = d?.status ?? {};
    rows.push({
      name: o.metadata.name,
      ready: Boolean(d && rolledOut(d)),
      detail: d ? `${s.availableReplicas ?? 0}/${d.spec.replicas ?? 1} available` : 'missing',
    });
  }
  return rows;
}

export const kindUrls = {
  web: `http://localhost:${exposed.web}`,
  grafana: `http://localhost:${exposed.grafana}`,
  tempo: `http://localhost:${exposed.tempoHttp}`,
  otlp: `http://localhost:${exposed.otlpHttp}`,
};
