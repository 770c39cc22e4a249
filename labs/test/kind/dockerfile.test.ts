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
