// The built site in Debian's Chromium: every page loads without console errors or broken internal
// links, navigation and search work, the quiz scores, the decoder explains, and axe finds nothing serious.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { serveDist } from './support/static-server.ts';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const quiz = (
  parse(readFileSync(new URL('../../graders/data/quiz.yaml', import.meta.url), 'utf8')) as {
    questions: { id: string; answer: string; choices: { id: string }[] }[];
  }
).questions;

let browser: Browser;
let server: Server;
let base = '';

before(async () => {
  ({ url: base, server } = await serveDist(dist));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  // axe needs a page from an explicit context.
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  assert.equal(res?.status(), 200, `${path} answered ${res?.status()}`);
  return { page, errors };
}

const sitemap = () =>
  [...readFileSync(`${dist}/sitemap-0.xml`, 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map(
    (m) => new URL(m[1]!).pathname,
  );

describe('the built module site', { timeout: 300_000 }, () => {
  test('every page loads with no console error and every internal link resolves', async () => {
    const pages = sitemap();
    assert.ok(pages.length >= 20, `only ${pages.length} pages in the sitemap`);
    const checked = new Set<string>();
    for (const path of pages) {
      const { page, errors } = await open(path);
      assert.deepEqual(errors, [], `console errors on ${path}`);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of links) {
        if (!/^https?:/.test(href)) continue;
        let url: URL;
        try {
          url = new URL(href);
        } catch {
          assert.fail(`${path} has a malformed link: ${href}`);
        }
        if (url.origin !== base || checked.has(url.pathname)) continue;
        checked.add(url.pathname);
        const res = await fetch(`${base}${url.pathname}`);
        assert.equal(res.status, 200, `${path} links to ${url.pathname}, which answers ${res.status}`);
      }
      await page.context().close();
    }
  });

  test('the sidebar leads from the overview to a theory page', async () => {
    const { page } = await open('/');
    await page.getByRole('link', { name: 'Context propagation and the W3C traceparent' }).first().click();
    await page.waitForURL(/\/theory\/context-propagation\/$/);
    assert.equal(await page.locator('h1').textContent(), 'Context propagation and the W3C traceparent');
    await page.context().close();
  });

  test('search finds "traceparent"', async () => {
    const { page } = await open('/');
    await page.getByRole('button', { name: 'Search' }).first().click();
    await page.locator('.pagefind-ui__search-input').fill('traceparent');
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 15_000 });
    const titles = await page.locator('.pagefind-ui__result-link').allTextContents();
    assert.ok(
      titles.some((t) => /propagation/i.test(t)),
      `results: ${titles.join(' | ')}`,
    );
    await page.context().close();
  });

  test('the quiz scores a known answer sheet: 7 right, 3 wrong', async () => {
    const { page } = await open('/assessment/quiz/');
    for (const [i, q] of quiz.entries()) {
      const choice = i < 7 ? q.answer : q.choices.find((c) => c.id !== q.answer)!.id;
      await page.locator(`input[name="${q.id}"][value="${choice}"]`).check();
    }
    await page.getByRole('button', { name: 'Submit answers' }).click();
    assert.equal(await page.locator('#quiz-score').textContent(), 'Score: 7 / 10');
    assert.equal(await page.locator('fieldset.wrong').count(), 3);
    const explanation = await page.locator(`fieldset[data-question="${quiz[9]!.id}"] .explain`).textContent();
    assert.match(explanation ?? '', new RegExp(`The answer is ${quiz[9]!.answer}\\.`));
    await page.context().close();
  });

  test('the decoder explains a valid traceparent and rejects an invalid one', async () => {
    const { page } = await open('/theory/context-propagation/');
    const input = page.locator('#tp-input');
    await input.fill('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.match(
      (await page.locator('#tp-output').textContent()) ?? '',
      /Valid traceparent.*0af7651916cd43dd8448eb211c80319c.*sampled/s,
    );
    await input.fill('00-0af7651916cd43dd8448eb211c80319c-b7ad6b71-01');
    assert.match(
      (await page.getByRole('alert').textContent()) ?? '',
      /Invalid: The parent id must be 16 hex digits/,
    );
    await page.context().close();
  });

  test('the waterfall draws a real captured trace, one row per span', async () => {
    const { page } = await open('/theory/what-is-tracing/');
    const rows = await page.locator('figure.waterfall tbody tr').count();
    assert.ok(rows >= 8, `only ${rows} rows`);
    assert.match((await page.locator('figure.waterfall figcaption').textContent()) ?? '', /spans · web, api/);
    await page.context().close();
  });

  test('axe finds no serious or critical accessibility violations on any page', async () => {
    for (const path of sitemap()) {
      const { page } = await open(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        bad.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target}`),
        [],
        `on ${path}`,
      );
      await page.context().close();
    }
  });
});
