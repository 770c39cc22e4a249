// The TraceQL playground in Debian's Chromium: queries typed into it draw what the engine answers on the
// same recording, syntax errors are marked where the parser points, metrics draw a chart, practice
// answers are judged as the grader judges, the engine loads only once reached, and it stays within
// its budget, accessible, usable on a phone and absent (examples as text) without JavaScript.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { describeError, parseTraceQL } from '@dojo/traceql';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { parse } from 'yaml';
import { type ExampleId, traceqlExamples } from '../src/data/traceql-examples.ts';
import { checkPractice, type PracticeQuestion } from '../src/lib/playground/practice.ts';
import { num, seriesName } from '../src/lib/playground/render-chart.ts';
import { runQuery } from '../src/lib/playground/run.ts';
import { overflowAt } from './support/overflow.ts';
import { recording } from './support/recordings.ts';
import { siteInBrowser } from './support/site-in-browser.ts';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const repoFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const graded = (
  parse(repoFile('graders/data/traceql-questions.yaml')) as { questions: { id: string; reference: string }[] }
).questions;
const practice = (parse(repoFile('graders/data/traceql-practice.yaml')) as { questions: PracticeQuestion[] })
  .questions;

const site = siteInBrowser(dist);
const desktop = { viewport: { width: 1280, height: 900 } };
const phone = { viewport: { width: 390, height: 844 } };

const open = (path: string, options: BrowserContextOptions = desktop) => site.open(path, options);

const runs = (page: Page) =>
  page
    .locator('.playground')
    .getAttribute('data-runs')
    .then((n) => Number(n ?? 0));

/** Waits until the playground has answered more than `n` runs. */
const ranPast = (page: Page, n = 0) =>
  page.waitForFunction(
    (k) => Number(document.querySelector('.playground')?.getAttribute('data-runs')) > k,
    n,
  );

/** Types a query (key by key), picks the recording, runs it and waits for the answer. */
async function type(page: Page, query: string, dataset: string): Promise<void> {
  const before = await runs(page);
  await page.locator('#pg-dataset').selectOption(dataset);
  const editor = page.locator('#pg-query');
  await editor.fill('');
  await editor.pressSequentially(query);
  await page.getByRole('button', { name: 'Run query' }).click();
  await ranPast(page, before);
}

interface Drawn {
  trace: string;
  sets: { matched: number; spans: string[] }[];
}
const byTrace = (a: Drawn, b: Drawn) => a.trace.localeCompare(b.trace);

/** What the page drew for a search, every trace (after "show all"). */
async function drawnSearch(page: Page): Promise<Drawn[]> {
  const more = page.locator('button.pg-more');
  if (await more.count()) await more.click();
  return (
    await page.locator('.pg-trace').evaluateAll((items) =>
      items.map((li) => ({
        trace: li.getAttribute('data-trace-id') ?? '',
        sets: [...li.querySelectorAll('.pg-set')].map((set) => ({
          matched: Number(set.getAttribute('data-matched')),
          spans: [...set.querySelectorAll('[data-span-id]')].map((s) => s.getAttribute('data-span-id') ?? ''),
        })),
      })),
    )
  ).sort(byTrace);
}

/** What the engine answers for the same query on the same recording. */
function engineSearch(query: string, dataset: string): Drawn[] {
  const outcome = runQuery(query, recording(dataset));
  assert.equal(outcome.kind, 'search', `${query}: ${'message' in outcome ? outcome.message : ''}`);
  if (outcome.kind !== 'search') return [];
  return outcome.traces
    .map((t) => ({
      trace: t.traceID,
      sets: t.spanSets.map((s) => ({ matched: s.matched, spans: s.spans.map((x) => x.spanID) })),
    }))
    .sort(byTrace);
}

describe('the TraceQL playground', { timeout: 300_000 }, () => {
  test('queries typed in draw exactly what the engine answers, for a dozen examples', async () => {
    const { page, errors } = await open('/reference/traceql-cheat-sheet/');
    const ids: ExampleId[] = [
      'service',
      'by-name',
      'by-duration',
      'by-status',
      'numbers',
      'regex',
      'root-service',
      'and-spansets',
      'descendant',
      'child',
      'sibling',
      'count',
      'avg',
      'max',
      'select',
      'string-number',
    ];
    let nonEmpty = 0;
    for (const id of ids) {
      const { query, dataset } = traceqlExamples[id];
      await type(page, query, dataset);
      const drawn = await drawnSearch(page);
      assert.deepEqual(drawn, engineSearch(query, dataset), `${id}: ${query} on ${dataset}`);
      const status = (await page.locator('.pg-status').textContent()) ?? '';
      assert.match(status, new RegExp(`^${drawn.length} traces? match in the ${dataset}`), status);
      if (drawn.length) nonEmpty++;
    }
    assert.ok(nonEmpty >= 10, `only ${nonEmpty} examples matched anything`);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("choosing a trace draws its waterfall, every span once, the query's matches marked", async () => {
    const { page } = await open('/reference/traceql-cheat-sheet/');
    const { query, dataset } = traceqlExamples['by-status'];
    await type(page, query, dataset);
    const first = engineSearch(query, dataset)[0]!;
    await page.locator(`.pg-trace[data-trace-id="${first.trace}"] button.pg-open`).click();
    const trace = recording(dataset).traces.find((t) => t.traceId === first.trace.padStart(32, '0'))!;
    const rows = await page.locator('.pg-detail figure.waterfall tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-span-id') ?? '',
        matched: tr.classList.contains('matched'),
      })),
    );
    assert.deepEqual(rows.map((r) => r.id).sort(), trace.spans.map((s) => s.spanId).sort());
    assert.deepEqual(
      rows
        .filter((r) => r.matched)
        .map((r) => r.id)
        .sort(),
      first.sets.flatMap((s) => s.spans).sort(),
    );
    assert.ok(
      await page.locator('.pg-detail .scroller').evaluate((el) => el === document.activeElement),
      'focus moves to the waterfall',
    );
    await page.context().close();
  });

  test('a syntax error is marked where the parser points, with its message', async () => {
    const { page } = await open('/reference/traceql-cheat-sheet/');
    for (const query of [
      '{ status = }',
      '{ kind = client &&\n  duration > 1s && name = }',
      '{ name = "order.confirm }',
    ]) {
      await type(page, query, 'healthy');
      const parsed = parseTraceQL(query);
      assert.ok(!parsed.ok);
      if (parsed.ok) continue;
      const expected = `Invalid TraceQL, ${describeError(parsed.error)}`;
      assert.equal(await page.locator('.pg-error').textContent(), expected);
      assert.equal(
        await page.locator('.pg-status').textContent(),
        'Nothing ran: the query is not valid TraceQL yet.',
      );
      assert.equal(await page.locator('#pg-query').getAttribute('aria-invalid'), 'true');
      // The marked text starts exactly at the error's line and column.
      const before = await page.locator('.pg-colours').evaluate((layer) => {
        const mark = layer.querySelector('mark.tq-error');
        if (!mark) return null;
        const range = document.createRange();
        range.setStart(layer, 0);
        range.setEndBefore(mark);
        return range.toString();
      });
      const lines = query.split('\n');
      const offset =
        lines.slice(0, parsed.error.line! - 1).reduce((n, l) => n + l.length + 1, 0) +
        parsed.error.column! -
        1;
      assert.equal(
        before,
        query.slice(0, offset),
        `${query}: the mark starts at line ${parsed.error.line}, column ${parsed.error.column}`,
      );
      assert.equal(await page.locator('.pg-trace').count(), 0, 'nothing ran');
    }
    await page.locator('#pg-query').fill('{ status = error }');
    assert.equal(await page.locator('#pg-query').getAttribute('aria-invalid'), 'false');
    assert.equal(await page.locator('.pg-colours mark').count(), 0);
    await page.context().close();
  });

  test('a metrics query draws a chart: one line per series, with its points and names', async () => {
    const { page } = await open('/reference/traceql-cheat-sheet/');
    for (const id of ['rate', 'errors-over-time'] as const) {
      const { query, dataset } = traceqlExamples[id];
      await type(page, query, dataset);
      const outcome = runQuery(query, recording(dataset));
      assert.equal(outcome.kind, 'metrics');
      if (outcome.kind !== 'metrics') continue;
      const series = outcome.body.series ?? [];
      const lines = await page.locator('svg.pg-chart polyline').evaluateAll((ps) =>
        ps.map((p) => ({
          name: p.getAttribute('data-series'),
          points: (p.getAttribute('points') ?? '').split(' ').length,
        })),
      );
      assert.deepEqual(
        lines,
        series.map((s) => ({ name: seriesName(s), points: s.samples.length })),
      );
      assert.ok(lines.length >= 2, `${id}: ${lines.length} series`);
      assert.deepEqual(await page.locator('.pg-legend li').allTextContents(), series.map(seriesName));
      // Recordings move by whole minutes, so the page's points are the engine's, value for value.
      await page.locator('.pg-metrics summary').click();
      const cells = await page
        .locator('.pg-table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      const times = [...new Set(series.flatMap((x) => x.samples.map((p) => p.timestampMs)))].sort();
      assert.deepEqual(
        cells,
        times.map((t) => series.map((x) => num(x.samples.find((p) => p.timestampMs === t)?.value ?? 0))),
      );
      assert.match(
        (await page.locator('svg.pg-chart').getAttribute('aria-label')) ?? '',
        /^Line chart of .* peaks at/,
      );
    }
    await page.context().close();
  });

  test('"try it" opens its example in the playground, on its recording, and runs it', async () => {
    const { page } = await open('/theory/tempo-and-traceql/');
    await page.locator('a.try-it[data-example="and-same-span"]').click();
    await ranPast(page);
    const { query, dataset } = traceqlExamples['and-same-span'];
    assert.equal(await page.locator('#pg-query').inputValue(), query);
    assert.equal(await page.locator('#pg-dataset').inputValue(), dataset);
    assert.deepEqual(await drawnSearch(page), engineSearch(query, dataset));
    await page.context().close();
    // The link's own address works on its own too (a new tab, a shared link).
    const href = `/theory/tempo-and-traceql/?q=${encodeURIComponent(query)}&dataset=${dataset}`;
    const shared = await open(href);
    await ranPast(shared.page);
    assert.deepEqual(await drawnSearch(shared.page), engineSearch(query, dataset));
    await shared.page.context().close();
  });

  test('works from the keyboard alone: type, Ctrl+Enter, Tab to a trace, Enter draws its waterfall', async () => {
    const { page } = await open('/reference/traceql-cheat-sheet/');
    await page.locator('#traceql-playground').scrollIntoViewIfNeeded();
    await page.locator('#pg-query').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ span.app.customer.id = 42 }');
    await page.keyboard.press('Control+Enter');
    await ranPast(page);
    const focused = () =>
      page.evaluate(() => document.activeElement?.id || document.activeElement?.className);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(String(await focused()));
    }
    assert.deepEqual(order, ['pg-dataset', 'pg-run', 'pg-open']);
    await page.keyboard.press('Enter');
    await page.locator('.pg-detail figure.waterfall').waitFor();
    assert.equal(await focused(), 'scroller');
    await page.context().close();
  });

  test("a practice answer is judged in the page with the grader's numbers and hints", async () => {
    const { page } = await open('/labs/lab-2-traceql/');
    const q = practice.find((p) => p.id === 'p-vendor-5xx')!;
    await page.locator(`button[data-practice="${q.id}"]`).click();
    await page.locator('.pg-practice').waitFor();
    assert.equal(await page.locator('.pg-practice-prompt').textContent(), q.prompt);
    for (const [answer, head] of [
      ['{ span.peer.service = "payments" }', '✘ Not yet: '],
      [q.reference, '✔ Right: '],
    ] as const) {
      await type(page, answer, q.dataset);
      await page.getByRole('button', { name: 'Check my answer' }).click();
      const r = checkPractice(q, answer, recording(q.dataset));
      const expected = `${head}${r.found}${'hint' in r && r.hint ? `. Hint: ${r.hint}` : ''}`;
      await page.waitForFunction((t) => document.querySelector('.pg-verdict')?.textContent === t, expected);
    }
    await page.context().close();
  });

  test('the engine loads only once the playground is reached or touched, and adds at most 150 KB of compressed JavaScript', async () => {
    const scripts = async (path: string, act?: (page: Page) => Promise<void>) => {
      const page = await (await site.browser.newContext(desktop)).newPage();
      const seen: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script' || /\.m?js$/.test(new URL(r.url()).pathname))
          seen.push(new URL(r.url()).pathname);
        if (/\.json$/.test(r.url())) seen.push(new URL(r.url()).pathname);
      });
      await page.goto(`${site.base}${path}`, { waitUntil: 'networkidle' });
      const atLoad = [...seen];
      await act?.(page);
      return { page, atLoad, later: seen.filter((s) => !atLoad.includes(s)) };
    };
    const gz = (paths: string[]) =>
      paths.reduce((n, p) => n + gzipSync(readFileSync(`${dist}${p.slice(1)}`)).length, 0);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

    // A page with code blocks (their copy button has a script of its own) and no playground.
    const plain = await scripts('/labs/lab-0-setup/');
    await plain.page.context().close();
    const reached = await scripts('/reference/traceql-cheat-sheet/', async (page) => {
      assert.equal(
        await page.locator('.playground[data-loading]').count(),
        0,
        'nothing started before the playground was reached',
      );
      await page.locator('#traceql-playground').scrollIntoViewIfNeeded();
      await page.locator('.playground.pg-ready').waitFor();
    });
    const boot = reached.atLoad.filter((p) => !plain.atLoad.includes(p));
    const engine = reached.later.filter((p) => p.endsWith('.js'));
    assert.ok(boot.length > 0 && engine.length > 0, `at load ${boot}, once reached ${engine}`);
    assert.ok(
      !reached.atLoad.some((p) => engine.includes(p) || p.endsWith('.json')),
      'the engine or a recording was fetched at page load',
    );
    const total = gz(boot) + gz(engine);
    await reached.page.locator('#pg-dataset').selectOption('healthy');
    await reached.page.getByRole('button', { name: 'Run query' }).click();
    await ranPast(reached.page);
    const data = (
      await reached.page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
      )
    ).filter((p) => p.endsWith('.json'));
    process.stdout.write(
      `# playground JavaScript, gzip: ${kb(gz(boot))} with the page (${boot.join(', ')}), ${kb(gz(engine))} once reached (${engine.join(', ')}); ${kb(total)} in all; a recording adds ${kb(gz(data))} of JSON\n`,
    );
    assert.ok(total <= 150 * 1024, `the playground adds ${kb(total)} of compressed JavaScript`);
    await reached.page.context().close();

    const touched = await scripts('/theory/tempo-and-traceql/', async (page) => {
      assert.equal(await page.locator('.playground[data-loading]').count(), 0);
      await page.locator('a.try-it').first().click();
      await page.locator('.playground.pg-ready').waitFor();
    });
    assert.ok(
      !touched.atLoad.some((p) => engine.includes(p)),
      'the engine was fetched before the learner touched anything',
    );
    assert.deepEqual(touched.later.filter((p) => p.endsWith('.js')).sort(), [...engine].sort());
    await touched.page.context().close();
  });

  for (const colorScheme of ['light', 'dark'] as const)
    test(`on a phone the answers fit the screen, and axe finds nothing serious with them drawn (${colorScheme})`, async () => {
      const { page } = await open('/reference/traceql-cheat-sheet/', { ...phone, colorScheme });
      const check = async (what: string) => {
        const out = await page.evaluate(overflowAt, {
          within: '.playground *',
          allowed: 'pre, .expressive-code, .scroller, .pg-table',
        });
        assert.deepEqual(out, [], what);
        const { violations } = await new AxeBuilder({ page }).include('.playground').analyze();
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(
          serious.map((v) => `${v.id}: ${v.nodes[0]?.target}`),
          [],
          what,
        );
      };
      await page.locator('a.try-it[data-example="descendant"]').click();
      await ranPast(page);
      await page.locator('button.pg-open').first().click();
      await check('search results and a waterfall');
      const before = await runs(page);
      await page.locator('a.try-it[data-example="rate"]').click();
      await ranPast(page, before);
      await page.locator('.pg-metrics summary').click();
      await check('a chart and its table');
      await type(page, '{ status = }', 'healthy');
      await check('a syntax error');
      await page.screenshot({
        path: `${process.env.PLAYGROUND_SHOTS ?? '/tmp'}/playground-390-${colorScheme}.png`,
        fullPage: false,
      });
      await page.context().close();
    });

  test('without JavaScript the examples stay as text and nothing offers to run', async () => {
    const { page } = await open('/reference/traceql-cheat-sheet/', { ...desktop, javaScriptEnabled: false });
    const text = (await page.locator('main').textContent()) ?? '';
    for (const id of ['service', 'count', 'rate'] as const)
      assert.ok(text.includes(traceqlExamples[id].query), id);
    assert.equal(await page.locator('a.try-it:visible').count(), 0);
    assert.equal(await page.locator('.pg-live:visible').count(), 0);
    assert.match((await page.locator('.playground').textContent()) ?? '', /needs JavaScript/);
    await page.context().close();
  });
});

describe('no graded answer ships', () => {
  const squash = (q: string) => q.replace(/\s+/g, ' ').trim();
  const references = graded.map((q) => squash(q.reference));

  test('practice questions share no id or reference with the graded ones', () => {
    for (const p of practice) {
      assert.ok(!graded.some((g) => g.id === p.id), p.id);
      assert.ok(!references.includes(squash(p.reference)), `${p.id} is graded: ${p.reference}`);
    }
  });

  test("no script or recording holds a graded reference, nor Lab 2's page, and its practice data names no graded question", () => {
    const assets = readdirSync(`${dist}_astro`).filter((f) => /\.(m?js|json)$/.test(f));
    for (const file of assets) {
      const text = squash(readFileSync(`${dist}_astro/${file}`, 'utf8').replaceAll('\\"', '"'));
      for (const r of references) assert.ok(!text.includes(r), `${file} holds ${r}`);
    }
    const lab2 = readFileSync(`${dist}labs/lab-2-traceql/index.html`, 'utf8');
    const decoded = squash(
      lab2
        .replace(/<[^>]+>/g, ' ')
        .replaceAll('&quot;', '"')
        .replaceAll('&#34;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&'),
    );
    for (const r of references) assert.ok(!decoded.includes(r), `Lab 2's page shows ${r}`);
    const bank = JSON.parse(
      /<script type="application\/json" id="pg-practice">([^<]*)<\/script>/.exec(lab2)?.[1] ?? '[]',
    ) as PracticeQuestion[];
    assert.deepEqual(bank.map((q) => q.id).sort(), practice.map((q) => q.id).sort());
  });
});
