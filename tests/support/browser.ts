// Shared harness for browser tests: one static server and one headless Debian Chromium per test file.
import { after, afterEach, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error plain JS module shared with the npm scripts
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';
// @ts-expect-error plain JS module shared with the npm scripts
import { startServer } from '../../scripts/server.js';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  headers?: Record<string, string>;
  mounts?: Record<string, string>;
  /** Answer a request in the test (fault injection); return true when handled. */
  intercept?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean;
}

export function serve(options: ServerOptions = {}): Promise<Served> {
  return startServer(options);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found (set CHROMIUM_PATH)');
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

/** A page that fails the test on any uncaught page error; errors are collected for assertions. */
export async function openPage(context: BrowserContext | Browser, url: string): Promise<Page & { errors: Error[] }> {
  const page = (await context.newPage()) as Page & { errors: Error[] };
  page.errors = [];
  // Playwright's 30 s default is an idle machine's figure; these waits are hang guards, not timings.
  page.setDefaultTimeout(120_000);
  // tsx compiles test files with esbuild's keepNames, which wraps functions passed to
  // page.evaluate() in a __name() helper the page does not have.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  page.on('pageerror', (error) => page.errors.push(error));
  if (process.env.TABWISE_DEBUG) page.on('console', (m) => console.log(`[page] ${m.type()}: ${m.text()}`));
  await page.goto(url);
  return page;
}

/**
 * One server and one Chromium for the test file that calls it, started in `before` and closed in
 * `after`, with every browser context closed after each test; read `.server` and `.browser`.
 */
export function useServerAndBrowser(options: ServerOptions = {}): { readonly server: Served; readonly browser: Browser } {
  const handle = {} as { server: Served; browser: Browser };
  before(async () => {
    handle.server = await serve(options);
    handle.browser = await launchChromium();
  });
  // Each test's pages, workers and GPU devices go away with it, so tests cannot starve each other.
  afterEach(async () => {
    await Promise.all(handle.browser?.contexts().map((context) => context.close()) ?? []);
  });
  after(async () => {
    await handle.browser?.close();
    await handle.server?.close();
  });
  return handle;
}
