// A small Kubernetes API client: kubeconfig (and its auth) from @kubernetes/client-node, requests over
// node:https. Server-side apply goes out with fieldManager=dojo and fieldValidation=Strict, so an unknown
// or misspelt field is an error, not a silent no-op.
import { request } from 'node:https';
import { UserError } from '@dojo/course';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterName, type K8sObject } from './manifests.ts';

const plural: Record<string, { prefix: string; resource: string; namespaced: boolean }> = {
  Namespace: { prefix: '/api/v1', resource: 'namespaces', namespaced: false },
  ConfigMap: { prefix: '/api/v1', resource: 'configmaps', namespaced: true },
  ServiceAccount: { prefix: '/api/v1', resource: 'serviceaccounts', namespaced: true },
  Pod: { prefix: '/api/v1', resource: 'pods', namespaced: true },
  Service: { prefix: '/api/v1', resource: 'services', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', resource: 'deployments', namespaced: true },
  StatefulSet: { prefix: '/apis/apps/v1', resource: 'statefulsets', namespaced: true },
  Job: { prefix: '/apis/batch/v1', resource: 'jobs', namespaced: true },
};

export function objectPath(kind: string, name: string, namespace?: string): string {
  const p = plural[kind];
  if (!p) throw new Error(`no API path known for kind ${kind}`);
  return `${p.prefix}${p.namespaced ? `/namespaces/${namespace}` : ''}/${p.resource}/${name}`;
}

export class KubeClient {
  readonly kc: KubeConfig;

  constructor(kc?: KubeConfig) {
    if (kc) this.kc = kc;
    else {
      // Always the lab's own cluster, whatever context the user's kubectl points at: the instructor
      // commands must never patch some other cluster.
      this.kc = new KubeConfig();
      this.kc.loadFromDefault();
      const context = `kind-${clusterName}`;
      if (!this.kc.getContextObject(context))
        throw new UserError(
          `no kubeconfig context ${context}: the kind lab is not up (start it with \`make lab-up\`)`,
        );
      this.kc.setCurrentContext(context);
    }
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; body: T }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster)
      throw new UserError(
        'no Kubernetes cluster in the kubeconfig; is the kind cluster created? (`make lab-up`)',
      );
    const url = new URL(path, cluster.server);
    const options: Parameters<KubeConfig['applyToHTTPSOptions']>[0] = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': contentType } : {}) },
    };
    await this.kc.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(options as Parameters<typeof request>[0], (res) => {
        let raw = '';
        res.on('data', (c: Buffer) => {
          raw += c.toString();
        });
        res.on('end', () => {
          let parsed: unknown = raw;
          try {
            parsed = raw ? JSON.parse(raw) : {};
          } catch {
            // keep the text; the caller reports it
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      });
      req.setTimeout(15_000, () => req.destroy(new Error(`Kubernetes API ${method} ${path} timed out`)));
      req.on('error', (e) =>
        reject(
          new UserError(
            `the Kubernetes API at ${cluster.server} is unreachable (${e.message}); is the cluster running?`,
          ),
        ),
      );
      req.end(payload);
    });
  }

  /** Server-side apply of a whole object, owned by the field manager "dojo". */
  async apply(obj: K8sObject): Promise<K8sObject> {
    const path = `${objectPath(obj.kind, obj.metadata.name, obj.metadata.namespace)}?fieldManager=dojo&fieldValidation=Strict&force=true`;
    const res = await this.call<K8sObject & { message?: string }>(
      'PATCH',
      path,
      obj,
      'application/apply-patch+yaml',
    );
    if (res.status >= 300) {
      throw new UserError(
        `applying ${obj.kind}/${obj.metadata.name} failed: ${res.body.message ?? res.status}`,
      );
    }
    return res.body;
  }

  async get<T = K8sObject>(kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const res = await this.call<T>('GET', objectPath(kind, name, namespace));
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new UserError(`reading ${kind}/${name} failed with HTTP ${res.status}`);
    return res.body;
  }

  /** A strategic-merge patch, for changes that must not take over ownership of the whole object. */
  async mergePatch(kind: string, name: string, namespace: string, patch: unknown): Promise<K8sObject> {
    const res = await this.call<K8sObject & { message?: string }>(
      'PATCH',
      objectPath(kind, name, namespace),
      patch,
      'application/strategic-merge-patch+json',
    );
    if (res.status >= 300)
      throw new UserError(`patching ${kind}/${name} failed: ${res.body.message ?? res.status}`);
    return res.body;
  }
}
