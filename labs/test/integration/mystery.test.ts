// A mystery scenario on the real local lab: started unnamed and switched to another unnamed one, the lab's
// status, scenario list, logs, pages and every span in its Tempo are searched for the scenario's id and
// title; the fault itself must show (so the search is not of an idle lab), and the RCA grader, which
// reads the truth from the lab's state, grades a report that names no scenario.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findScenario, mysteryTitle, portsFor } from '@dojo/course';
import { type IsolatedLab, isolatedLab, runDojo, until } from '@dojo/labs/testing';

let lab: IsolatedLab;
let web = '';
let tempo = '';
let answers = '';

before(async () => {
  lab = await isolatedLab(
    process.env.DOJO_PORT_OFFSET ? { DOJO_PORT_OFFSET: process.env.DOJO_PORT_OFFSET } : {},
  );
  const ports = portsFor(lab.env);
  web = `http://127.0.0.1:${ports.web}`;
  tempo = `http://127.0.0.1:${ports.tempoHttp}`;
  answers = mkdtempSync(join(tmpdir(), 'dojo-mystery-answers-'));
});

after(async () => {
  await lab.cleanup();
  rmSync(answers, { recursive: true, force: true });
});

/** Everything the lab tells a learner, as text: CLI output, logs, pages, and every trace in its Tempo. */
async function whatTheLabTells(): Promise<{ where: string; text: string }[]> {
  const told: { where: string; text: string }[] = [];
  for (const args of [
    ['lab', 'status'],
    ['lab', 'status', '--json'],
  ]) {
    const r = await runDojo(args, lab.env);
    assert.equal(r.code, 0, `every component ready: ${r.stdout}`);
    told.push({ where: `dojo ${args.join(' ')}`, text: r.stdout + r.stderr });
  }
  // The list names every scenario alike; it must mark none of them active, only the mystery.
  const list = await runDojo(['scenario', 'list', '--json'], lab.env);
  assert.deepEqual(
    (JSON.parse(list.stdout) as { id: string; active: boolean }[]).filter((s) => s.active),
    [],
  );
  const marked = (await runDojo(['scenario', 'list'], lab.env)).stdout
    .split('\n')
    .filter((l) => l.includes('▶'));
  assert.deepEqual(
    marked.map((l) => l.replace(/\s+/g, ' ').trim()),
    [`▶ mystery: ${mysteryTitle}`],
  );
  const logs = join(lab.stateDir, 'logs');
  for (const f of readdirSync(logs))
    told.push({ where: `logs/${f}`, text: readFileSync(join(logs, f), 'utf8') });
  for (const path of ['/', '/healthz', '/products/3', '/search?q=battery'])
    told.push({ where: `web ${path}`, text: await (await fetch(`${web}${path}`)).text() });
  const end = Math.ceil(Date.now() / 1000);
  const found = (await (
    await fetch(`${tempo}/api/search?q=${encodeURIComponent('{ }')}&start=${end - 900}&end=${end}&limit=5000`)
  ).json()) as { traces: { traceID: string }[] };
  assert.ok(found.traces.length > 10, `only ${found.traces.length} traces in Tempo`);
  for (const { traceID } of found.traces)
    told.push({
      where: `trace ${traceID}`,
      text: await (await fetch(`${tempo}/api/traces/${traceID}`)).text(),
    });
  const tags = await (await fetch(`${tempo}/api/v2/search/tags`)).text();
  told.push({ where: 'tag names', text: tags });
  return told;
}

function assertNothingNames(told: { where: string; text: string }[], id: string) {
  const { title } = findScenario(id);
  const leaks = told
    .filter(({ text }) => text.toLowerCase().includes(id) || text.toLowerCase().includes(title.toLowerCase()))
    .map(({ where }) => where);
  assert.deepEqual(leaks, [], `"${id}" or "${title}" is named by ${leaks.join(', ')}`);
}

async function traffic(paths: string[], times: number) {
  for (let i = 0; i < times; i++) for (const p of paths) await fetch(`${web}${p}`).then((r) => r.text());
}

describe('a mystery scenario', () => {
  test('lab up --mystery: status says mystery, and nothing names network-latency, whose fault shows', async () => {
    const up = await runDojo(
      ['lab', 'up', '--mode', 'local', '--no-load', '--mystery', '--scenario', 'network-latency'],
      lab.env,
    );
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /Scenario\s+mystery/);
    const status = JSON.parse((await runDojo(['lab', 'status', '--json'], lab.env)).stdout) as {
      scenario: string;
    };
    assert.equal(status.scenario, 'mystery');
    await traffic(['/', '/products/5', '/products/9'], 15);
    // Intermittent as ever: some calls held back by the network, not all.
    const end = Math.ceil(Date.now() / 1000);
    const q = '{ resource.service.name = "web" && kind = client && duration > 400ms }';
    const slow = await until('a held-back web call in Tempo', async () => {
      const r = (await (
        await fetch(
          `${tempo}/api/search?q=${encodeURIComponent(q)}&start=${end - 600}&end=${end + 5}&limit=500`,
        )
      ).json()) as { traces: unknown[] };
      return r.traces.length > 0 ? r.traces.length : undefined;
    });
    assert.ok(slow < 45, `${slow} of 45 page views were held back: the fault is not intermittent`);
    assertNothingNames(await whatTheLabTells(), 'network-latency');
  });

  test('scenario set --mystery switches to another unnamed one; nothing names slow-query, whose fault shows', async () => {
    const set = await runDojo(['scenario', 'set', '--mystery', 'slow-query'], lab.env);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /a mystery scenario is active/);
    await traffic(['/search?q=battery', '/search?q=cable', '/'], 4);
    const end = Math.ceil(Date.now() / 1000);
    const q = '{ span.db.system = "postgresql" && duration > 500ms }';
    const slowTrace = await until('a slow query in Tempo', async () => {
      const r = (await (
        await fetch(
          `${tempo}/api/search?q=${encodeURIComponent(q)}&start=${end - 600}&end=${end + 5}&limit=5`,
        )
      ).json()) as { traces: { traceID: string }[] };
      return r.traces[0]?.traceID;
    });
    assertNothingNames(await whatTheLabTells(), 'slow-query');
    assertNothingNames(await whatTheLabTells(), 'network-latency');

    // The report names service, span, cause and evidence; the grader knows the truth from the lab.
    writeFileSync(
      join(answers, 'rca.md'),
      `---\nservice: api\nspan: "pg.query:SELECT shop"\ncause: missing-index\nevidence:\n  - ${slowTrace}\n---\nReview searches spend about a second in one PostgreSQL span of api, pg.query:SELECT shop, over 500 ms each time, while every other page is fast: the query scans the reviews without its full-text index. Recreate the index.\n`,
    );
    const graded = await runDojo(['grade', 'rca', '--answers', answers, '--format', 'json'], {
      ...lab.env,
      TEMPO_URL: tempo,
    });
    const checks = (JSON.parse(graded.stdout) as { grades: { checks: { id: string; verdict: string }[] }[] })
      .grades[0]!.checks;
    const verdict = (id: string) => checks.find((c) => c.id === id)?.verdict;
    for (const id of ['rca-service', 'rca-span', 'rca-cause', 'rca-evidence-1'])
      assert.equal(verdict(id), 'pass', graded.stdout);
    assert.equal(verdict('rca-scenario'), undefined, 'the report is not asked for a scenario id');
  });
});
