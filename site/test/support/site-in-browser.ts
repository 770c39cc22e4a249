// The built site served on a free port and Debian's Chromium, started before a test file's tests and
// stopped after them, with a way to open one of its pages in a fresh browser context.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { serveDist } from './static-server.ts';

export interface SiteInBrowser {
  /** the site's base URL (set once the hooks have run) */
  readonly base: string;
  readonly browser: Browser;
  /**
   * Loads `path` in a context of its own (axe needs one) and asserts it answered 200; `errors` collects
   * the page's uncaught errors and, with `consoleErrors`, what it logs as an error too.
   */
  open(
    path: string,
    options?: BrowserContextOptions,
    watch?: { consoleErrors?: boolean },
  ): Promise<{ page: Page; errors: string[] }>;
}

export function siteInBrowser(dist: string): SiteInBrowser {
  let browser: Browser;
  let server: Server;
  let base = '';
  before(async () => {
    ({ url: base, server } = await serveDist(dist));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });
  return {
    get base() {
      return base;
    },
    get browser() {
      return browser;
    },
    async open(path, options = {}, watch = {}) {
      const page = await (await browser.newContext(options)).newPage();
      const errors: string[] = [];
      if (watch.consoleErrors) {
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
      }
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      assert.equal(res?.status(), 200, `${path} answered ${res?.status()}`);
      return { page, errors };
    },
  };
}
