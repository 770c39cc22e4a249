// Scenarios arrive as deploys: every version and commit the tiers report is derived from the catalog alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labReleases, loadCatalog, releaseOf, scenarioOfRevision, validateCatalog } from '@dojo/course';

const catalog = loadCatalog();

test('healthy runs the baseline of every tier; a scenario that deploys a tier changes that tier only', () => {
  const healthy = labReleases('healthy');
  assert.deepEqual(
    healthy.map((r) => [r.service, r.version]),
    Object.entries(catalog.releases.baseline),
  );
  for (const s of catalog.scenarios) {
    for (const r of labReleases(s.id)) {
      const base = healthy.find((h) => h.service === r.service)!;
      if (s.deploy?.service === r.service) {
        assert.notEqual(r.version, base.version, `${s.id} must bring a new ${r.service} version`);
        assert.notEqual(r.revision, base.revision);
        assert.equal(r.change, s.deploy.change);
        assert.equal(r.scenario, s.id);
      } else {
        assert.deepEqual(r, base, `${s.id} must leave ${r.service} at its baseline`);
      }
    }
  }
});

test('slow-query deploys a new api version whose commit leads back to the scenario', () => {
  const api = releaseOf('api', 'slow-query');
  assert.match(api.revision, /^[0-9a-f]{40}$/);
  assert.match(api.version, /^2\.7\.[1-9]\d*$/);
  assert.equal(api.repository, `${catalog.releases.repository}/api`);
  assert.equal(scenarioOfRevision(api.revision)?.id, 'slow-query');
  assert.equal(scenarioOfRevision(releaseOf('api', 'healthy').revision), undefined);
  // Derived, not random: the same answer on every call and in every process.
  assert.deepEqual(releaseOf('api', 'slow-query'), api);
});

test('every deploying scenario has its own version and commit', () => {
  const deploys = catalog.scenarios.filter((s) => s.deploy).map((s) => releaseOf(s.deploy!.service, s.id));
  assert.ok(deploys.length >= 4);
  assert.equal(new Set(deploys.map((r) => `${r.service}@${r.version}`)).size, deploys.length);
  assert.equal(new Set(deploys.map((r) => r.revision)).size, deploys.length);
});

test('the catalog rejects a deploy of a tier it does not version, and a deploy on healthy', () => {
  const raw = {
    releases: { repository: 'https://git.dojo.example/shop', baseline: { api: '2.7.0' } },
    causes: [{ id: 'missing-index', title: 't' }],
    scenarios: [
      {
        ...{ id: 'healthy', title: 't', broken: 'b', symptom: 's', signature: 'g', reference: '{}' },
        rootCause: null,
        deploy: { service: 'api', change: 'x' },
      },
      {
        ...{ id: 'slow', title: 't', broken: 'b', symptom: 's', signature: 'g', reference: '{}' },
        rootCause: { service: 'api', span: 'q', cause: 'missing-index' },
        faults: { reviewsIndex: false },
        deploy: { service: 'payments', change: '' },
      },
    ],
  };
  assert.throws(
    () => validateCatalog(raw),
    (e: unknown) => {
      const m = (e as Error).message;
      assert.match(m, /\(healthy\): healthy deploys nothing/);
      assert.match(m, /\(slow\): deploy\.service must be one of releases\.baseline's tiers/);
      assert.match(m, /\(slow\): deploy\.change must be the commit's message/);
      return true;
    },
  );
  assert.throws(
    () => validateCatalog({ ...raw, releases: { repository: 'ftp://x', baseline: {} } }),
    /releases:/,
  );
});
