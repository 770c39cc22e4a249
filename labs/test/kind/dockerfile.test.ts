// The sample-app image is built on the pinned Node image and ships what the manifests run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { versions } from '@dojo/course';
import { renderManifests } from '../../src/kind/manifests.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerfile = readFileSync(`${root}sample-app/Dockerfile`, 'utf8');

test('the Dockerfile starts from the Node image pinned in versions.json', () => {
  assert.equal(/^FROM (\S+)/m.exec(dockerfile)?.[1], versions.images.node);
});

test('every file a Deployment runs is copied into the image', () => {
  const copied = [...dockerfile.matchAll(/^COPY (\S+) /gm)].map((m) => m[1]!);
  const commands = renderManifests()
    .filter((o) => o.kind === 'Deployment')
    .flatMap((d) => [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers])
    .filter((c: { image: string }) => c.image.startsWith('tracing-dojo/'))
    .flatMap((c: { command: string[] }) => c.command.filter((a) => a.startsWith('/app/')));
  assert.ok(commands.length >= 5);
  for (const path of commands) {
    const inRepo = path.replace(/^\/app\//, '');
    assert.ok(existsSync(`${root}${inRepo}`), `${inRepo} does not exist`);
    assert.ok(
      copied.some((c) => inRepo.startsWith(c.replace(/\/?$/, '/'))),
      `${inRepo} is not copied into the image`,
    );
  }
});

const workspaceJson = (dir: string) =>
  JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as {
    name: string;
    workspaces?: string[];
    dependencies?: Record<string, string>;
  };

test('the image holds every workspace manifest and the source of each workspace the app imports', () => {
  const copied = [...dockerfile.matchAll(/^COPY (\S+) (\S+)/gm)].map((m) => m[1]!);
  const workspaces = workspaceJson('.').workspaces ?? [];
  for (const dir of workspaces)
    assert.ok(copied.includes(`${dir}/package.json`), `${dir}/package.json is not copied (npm ci needs it)`);
  const dirOf = new Map(workspaces.map((dir) => [workspaceJson(dir).name, dir]));
  const needed = new Set(['sample-app']);
  for (const dir of needed)
    for (const dep of Object.keys(workspaceJson(dir).dependencies ?? {}))
      if (dirOf.has(dep)) needed.add(dirOf.get(dep)!);
  assert.ok(needed.has('labs/course'), 'the app uses the course facts');
  for (const dir of needed)
    assert.ok(copied.includes(`${dir}/src`), `${dir}/src is not copied into the image`);
  for (const data of ['labs/config', 'labs/catalog'])
    assert.ok(copied.includes(data), `${data} is not copied`);
});
