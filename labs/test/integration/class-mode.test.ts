// Class mode through the real CLI: a roster of five, one multi-tenant Tempo (the lab's store), an exam
// dataset per tenant, each learner's answers graded with their own seed (a copied answer sheet fails what
// the seed varies), the three exports, and isolation: no tenant sees another's traces. Then two real labs
// export to their tenants, one switched to another scenario, one reset onto a fresh tenant.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findScenario, portsFor, releaseOf, variantOf } from '@dojo/course';
import { loadQuestionBank } from '@dojo/graders';
import { freeOffset, runDojo, until } from '@dojo/labs/testing';
import { parse } from 'yaml';

const ids = ['ana', 'ben', 'cy', 'dee', 'eve'];
let work: string;
let dir: string;
let tempo: string;
let env: NodeJS.ProcessEnv;

interface ClassYaml {
  learners: { id: string; seed: string; offset: number; scenario?: string; generation: number }[];
}
const classYaml = () => parse(readFileSync(join(dir, 'class.yaml'), 'utf8')) as ClassYaml;
const learner = (id: string) => classYaml().learners.find((l) => l.id === id)!;
const dojoClass = async (...args: string[]) => {
  const r = await runDojo(['class', '--class', dir, ...args], env, 600_000);
  assert.equal(r.code, 0, `dojo class ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};
const answersDir = (id: string) => join(dir, 'learners', id, 'answers');

async function search(tenant: string | undefined, q: string, sinceS = 3600) {
  const end = Math.ceil(Date.now() / 1000) + 1;
  const res = await fetch(
    `${tempo}/api/search?q=${encodeURIComponent(q)}&start=${end - sinceS}&end=${end}&limit=5000`,
    tenant ? { headers: { 'X-Scope-OrgID': tenant } } : {},
  );
  return {
    status: res.status,
    traces: res.ok ? ((await res.json()) as { traces: { traceID: string }[] }).traces : [],
  };
}

const ownAnswers = (seed: string) =>
  `${loadQuestionBank(undefined, variantOf(seed))
    .map((q) => `${q.id}: '${q.reference.replace(/'/g, "''")}'`)
    .join('\n')}\n`;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'dojo-class-'));
  dir = join(work, 'class');
  const base = process.env.DOJO_PORT_OFFSET ? Number(process.env.DOJO_PORT_OFFSET) : await freeOffset();
  env = { ...process.env, NO_COLOR: '1' };
  delete env.DOJO_PORT_OFFSET;
  tempo = `http://127.0.0.1:${portsFor({ DOJO_PORT_OFFSET: String(base) }).tempoHttp}`;
  writeFileSync(
    join(work, 'roster.csv'),
    `id,name,seed\n${ids.map((id) => `${id},${id.toUpperCase()},seed-${id}`).join('\n')}\n`,
  );
  await dojoClass('create', join(work, 'roster.csv'), '--offset', String(base));
  await dojoClass('tempo', 'up');
});

after(async () => {
  await runDojo(['class', '--class', dir, 'stop', '--all'], env, 120_000);
  await runDojo(['class', '--class', dir, 'tempo', 'down'], env, 60_000);
  rmSync(work, { recursive: true, force: true });
});

describe('a class of five on one Tempo', { timeout: 900_000 }, () => {
  test('an exam dataset per tenant, graded with each learner’s seed, exported three ways', async () => {
    await dojoClass('dataset', '--all');
    const [ana, ben] = [learner('ana'), learner('ben')];
    // ana and eve answer for their own seed; ben copies ana's sheet; cy sends nothing; dee's file is broken.
    writeFileSync(join(answersDir('ana'), 'traceql.yaml'), ownAnswers(ana.seed));
    writeFileSync(join(answersDir('eve'), 'traceql.yaml'), ownAnswers(learner('eve').seed));
    writeFileSync(join(answersDir('ben'), 'traceql.yaml'), ownAnswers(ana.seed));
    writeFileSync(join(answersDir('dee'), 'traceql.yaml'), 'q-slow-db: [\n');
    const key = readFileSync(new URL('../../assessment/solution/quiz.yaml', import.meta.url), 'utf8');
    writeFileSync(join(answersDir('ana'), 'quiz.yaml'), key);
    writeFileSync(
      join(answersDir('ben'), 'quiz.yaml'),
      key.replace(/^(quiz-span|quiz-traceparent|quiz-dora): \w/gm, '$1: d'),
    );
    // ana's report on her mystery, with evidence found in her own tenant.
    const scenario = findScenario(ana.scenario!);
    const evidence = (await search('ana', scenario.reference, 1800)).traces[0]!.traceID;
    const { service, span, cause } = scenario.rootCause!;
    writeFileSync(
      join(answersDir('ana'), 'rca.md'),
      `---\nservice: ${service}\nspan: "${span}"\ncause: ${cause}\nevidence:\n  - ${evidence}\n---\nThe evidence trace shows the ${service} span ${span} at fault; it explains the symptom and the fix follows from the cause.\n`,
    );
    writeFileSync(
      join(answersDir('ben'), 'rca.md'),
      `---\nservice: ${service}\nspan: "${span}"\ncause: vendor-latency\nevidence:\n  - ${evidence}\n---\nShort.\n`,
    );
    await dojoClass('grade', '--all');
    const graded = (id: string) =>
      JSON.parse(readFileSync(join(dir, 'grades', `${id}.json`), 'utf8')) as {
        grades: {
          lab: string;
          checks: { id: string; verdict: string; points: number; maxPoints: number; found: string }[];
        }[];
      };
    const lab = (id: string, name: string) => graded(id).grades.find((g) => g.lab === name)!;
    const points = (id: string, name: string) => lab(id, name).checks.reduce((n, c) => n + c.points, 0);
    const varied = ['q-slow-db', 'q-customer-journey', 'q-commit-deploys', 'q-regression-deploy'];
    assert.deepEqual(
      lab('ana', 'traceql')
        .checks.filter((c) => c.verdict !== 'pass')
        .map((c) => `${c.id}: ${c.found}`),
      [],
      'every Lab 2 question gradable in one run, and right',
    );
    const refs = (seed: string) =>
      new Map(loadQuestionBank(undefined, variantOf(seed)).map((q) => [q.id, q.reference]));
    const [anaRefs, benRefs] = [refs(ana.seed), refs(ben.seed)];
    const differ = varied.filter((id) => anaRefs.get(id) !== benRefs.get(id));
    assert.ok(differ.length >= 3, `the two seeds differ on ${differ.join(', ')}`);
    assert.deepEqual(
      lab('ben', 'traceql')
        .checks.filter((c) => c.verdict !== 'pass')
        .map((c) => c.id)
        .sort(),
      differ.sort(),
      'a copied sheet fails exactly what the two seeds set apart',
    );
    assert.equal(
      lab('eve', 'traceql').checks.every((c) => c.verdict === 'pass'),
      true,
    );
    assert.equal(points('cy', 'traceql'), 0);
    assert.equal(lab('cy', 'traceql').checks[0]!.maxPoints, 140);
    assert.match(lab('dee', 'traceql').checks[0]!.found, /traceql\.yaml/);
    assert.equal(points('ana', 'quiz'), 10);
    assert.equal(points('ben', 'quiz'), 7);
    for (const c of ['rca-service', 'rca-span', 'rca-cause', 'rca-evidence-1'])
      assert.equal(lab('ana', 'rca').checks.find((x) => x.id === c)?.verdict, 'pass', c);
    assert.equal(lab('ben', 'rca').checks.find((x) => x.id === 'rca-cause')?.verdict, 'fail');

    await dojoClass('export', '--format', 'csv', '--out', join(work, 'grades.csv'));
    const rows = readFileSync(join(work, 'grades.csv'), 'utf8').trim().split('\r\n');
    assert.equal(rows.length, 1 + ids.length);
    assert.match(rows[1]!, /^ana,ANA,140,140,/);
    assert.ok(rows[2]!.startsWith(`ben,BEN,${140 - 10 * differ.length},140,`), rows[2]!);
    await dojoClass('export', '--format', 'gradescope', '--out', join(work, 'gradescope'));
    const gs = JSON.parse(readFileSync(join(work, 'gradescope', 'ana', 'results.json'), 'utf8')) as {
      score: number;
      max_score: number;
      tests: { score: number; max_score: number; status: string }[];
    };
    assert.equal(
      gs.score,
      gs.tests.reduce((n, t) => n + t.score, 0),
    );
    assert.ok(gs.tests.every((t) => ['passed', 'failed'].includes(t.status)));
    await dojoClass('export', '--format', 'classroom', '--out', join(work, 'classroom'));
    const cr = JSON.parse(
      Buffer.from(readFileSync(join(work, 'classroom', 'ben.b64'), 'utf8'), 'base64').toString(),
    ) as {
      max_score: number;
      status: string;
      tests: { score: number }[];
    };
    assert.equal(cr.status, 'fail');
    assert.equal(cr.max_score, gs.max_score);
    assert.equal(
      cr.tests.reduce((n, t) => n + t.score, 0),
      Number(rows[2]!.split(',')[8]),
    );
  });

  test('isolation: a tenant finds its own commits and customer, never another learner’s', async () => {
    assert.equal((await search(undefined, '{ }')).status, 401, 'a query without a tenant is refused');
    const marks = ids.map((id) => {
      const { seed } = learner(id);
      return {
        id,
        commit: releaseOf('api', 'slow-query', undefined, seed).revision,
        customer: variantOf(seed).customer,
      };
    });
    for (const mine of marks) {
      assert.ok(
        (await search(mine.id, `{ resource.vcs.ref.head.revision = "${mine.commit}" }`)).traces.length > 0,
      );
      const all = (await search(mine.id, '{ }')).traces.length;
      assert.ok(all > 100, `${mine.id} has ${all} traces`);
      for (const other of marks.filter((m) => m.id !== mine.id)) {
        const commit = await search(
          mine.id,
          `{ resource.vcs.ref.head.revision = "${other.commit}" || span.vcs.ref.head.revision = "${other.commit}" }`,
        );
        assert.deepEqual(commit.traces, [], `${mine.id} sees ${other.id}'s commit`);
        const customer = await search(mine.id, `{ span.app.customer.id = ${other.customer} }`);
        assert.deepEqual(customer.traces, [], `${mine.id} sees ${other.id}'s customer`);
      }
    }
  });

  test('real labs: each exports to its own tenant; a switch and a reset (a fresh tenant) per learner', async () => {
    await dojoClass('start', 'ana', '--scenario', 'slow-query', '--no-load');
    await dojoClass('start', 'ben', '--mystery', '--scenario', 'error-cascade', '--no-load');
    const visit = async (id: string) => {
      const res = await fetch(
        `http://127.0.0.1:${portsFor({ DOJO_PORT_OFFSET: String(learner(id).offset) }).web}/`,
      );
      await res.text();
      return res.headers.get('traceresponse')!.split('-')[1]!;
    };
    const byId = async (tenant: string, traceId: string) =>
      (await fetch(`${tempo}/api/traces/${traceId}`, { headers: { 'X-Scope-OrgID': tenant } })).status;
    const [a, b] = [await visit('ana'), await visit('ben')];
    await until('both traces in their tenants', async () =>
      (await byId('ana', a)) === 200 && (await byId('ben', b)) === 200 ? true : undefined,
    );
    assert.equal(await byId('ben', a), 404);
    assert.equal(await byId('ana', b), 404);
    assert.match(await dojoClass('status'), /ben\s+\S+\s+ben\s+running\s+error-cascade \(mystery\)/);

    await dojoClass('switch', 'ana', 'error-cascade');
    assert.equal(learner('ana').scenario, 'error-cascade');
    assert.match(await dojoClass('status'), /ana\s+\S+\s+ana\s+running\s+error-cascade\b/);

    await dojoClass('reset', 'ben', '--scenario', 'healthy');
    assert.equal(learner('ben').generation, 1);
    assert.equal(await byId('ben.r1', b), 404, 'the reset tenant starts empty');
    const fresh = await visit('ben');
    await until('ben’s new trace in ben.r1', async () =>
      (await byId('ben.r1', fresh)) === 200 ? true : undefined,
    );
    await dojoClass('stop', '--all');
  });
});
