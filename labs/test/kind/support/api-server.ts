// A real Kubernetes API server for tests: etcd (Debian's etcd-server) and kube-apiserver (built from
// k8s.io/kubernetes by labs/apiserver/build.sh) on free loopback ports, torn down afterwards.
// No kubelet, scheduler or controller-manager: objects are stored and validated, no pod ever runs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, versions } from '@dojo/course';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../../src/kind/k8s-http.ts';
import { freePort } from '../../../src/port-guard.ts';
import { isExecutable } from '../../../src/tempo-backend.ts';

export const kubeApiserverPath = () =>
  join(cacheDir(), 'kube-apiserver', versions.tools.kubeApiserver, 'kube-apiserver');

function which(name: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${name}`])
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Why the API-server tests cannot run here, or false when they can. */
export function apiServerUnavailable(): string | false {
  if (!which('openssl')) return 'openssl is not installed (the test makes its own certificates with it)';
  if (!which('etcd')) return 'etcd is not installed (labs/apiserver/ensure-etcd.sh installs it)';
  if (!isExecutable(kubeApiserverPath()))
    return `no kube-apiserver at ${kubeApiserverPath()} (labs/apiserver/build.sh builds it)`;
  return false;
}

async function until(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  child: ChildProcess,
  log: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what}: the process exited (${child.exitCode}): ${log().slice(-800)}`);
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${log().slice(-800)}`);
}

/** A CA, a serving certificate for 127.0.0.1 signed by it, and the service-account key pair (openssl). */
function selfSignedPki(dir: string) {
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=dojo-test-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kube-apiserver',
    '-keyout',
    f('apiserver.key'),
    '-out',
    f('apiserver.csr'),
  );
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    f('apiserver.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
    '-out',
    f('apiserver.crt'),
  );
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f('sa.key'));
  openssl('pkey', '-in', f('sa.key'), '-pubout', '-out', f('sa.pub'));
  return {
    ca: f('ca.crt'),
    cert: f('apiserver.crt'),
    key: f('apiserver.key'),
    saPrivate: f('sa.key'),
    saPublic: f('sa.pub'),
  };
}

export interface ApiServer {
  kubeConfig: KubeConfig;
  server: string;
  stop: () => Promise<void>;
}

export async function startApiServer(): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dojo-apiserver-'));
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const logs = new Map<ChildProcess, string>();
  const start = (cmd: string, args: string[]) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    logs.set(child, '');
    const keep = (c: Buffer) => logs.set(child, `${logs.get(child)}${c}`.slice(-20000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    return child;
  };
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcd = start('etcd', [
      '--name=dojo-test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=dojo-test=http://127.0.0.1:${etcdPeer}`,
    ]);
    await until(
      'etcd',
      async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`).catch(() => undefined))?.ok === true,
      30_000,
      etcd,
      () => logs.get(etcd)!,
    );

    // Our own CA and a serving certificate for 127.0.0.1, so the client verifies TLS as it would on kind.
    const pki = selfSignedPki(dir);
    const token = randomBytes(24).toString('hex');
    writeFileSync(join(dir, 'tokens.csv'), `${token},dojo-admin,dojo-admin,system:masters\n`);
    const apiserver = start(kubeApiserverPath(), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      `--secure-port=${securePort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--tls-cert-file=${pki.cert}`,
      `--tls-private-key-file=${pki.key}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${pki.saPublic}`,
      `--service-account-signing-key-file=${pki.saPrivate}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-node-port-range=30000-32767',
    ]);
    const server = `https://127.0.0.1:${securePort}`;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'test', server, caData: readFileSync(pki.ca).toString('base64') }],
      users: [{ name: 'dojo-admin', token }],
      contexts: [{ name: 'test', cluster: 'test', user: 'dojo-admin' }],
      currentContext: 'test',
    });
    const client = new KubeClient(kubeConfig);
    const ready = async () =>
      (await client.call('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200;
    await until('kube-apiserver', ready, 120_000, apiserver, () => logs.get(apiserver)!);
    return { kubeConfig, server, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
