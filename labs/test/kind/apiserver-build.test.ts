// The pinned kube-apiserver the API-server tests run: one release, named in versions.json and in the
// wrapper module labs/apiserver/go.mod, with every Kubernetes staging module at the matching v0.x.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { versions } from '@dojo/course';

const goMod = readFileSync(new URL('../../apiserver/go.mod', import.meta.url), 'utf8');

test('the kube-apiserver wrapper module builds the release versions.json pins', () => {
  const required = goMod.match(/^\s*k8s\.io\/kubernetes (v\S+)/m)?.[1];
  assert.equal(required, versions.tools.kubeApiserver);
  assert.match(goMod, /^tool k8s\.io\/kubernetes\/cmd\/kube-apiserver$/m);
});

test('every staging module is replaced by its release of the same Kubernetes version', () => {
  const staging = `v0.${versions.tools.kubeApiserver.replace(/^v1\./, '')}`;
  const replaces = [...goMod.matchAll(/^\s+(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
  assert.ok(replaces.length >= 25, `only ${replaces.length} replace lines`);
  for (const [, from, to, version] of replaces) {
    assert.equal(to, from, `${from} must be replaced by itself`);
    assert.equal(version, staging, `${from} is at ${version}, not ${staging}`);
  }
});
