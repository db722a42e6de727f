// The browser-test harness: a static server and a browser per engine, a fresh context (profile) per
// test, closed afterwards. Engines come from TABWISE_BROWSERS (default: every installed one).
import { after, afterEach, before, describe, test, type TestContext, type TestOptions } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// @ts-expect-error plain JS module shared with the npm scripts
import { startServer } from '../../scripts/server.js';
// @ts-expect-error plain JS module shared with the npm scripts
import { engineNames, missingReason, selectEngines } from '../../scripts/browsers.js';
import { launchChromiumEngine } from './drivers/chromium-driver.ts';
import { launchFirefoxEngine } from './drivers/firefox-driver.ts';
import { launchWebKitEngine } from './drivers/webkit-driver.ts';
import type { ContextOptions, EngineBrowser, EngineContext, EngineName, TestPage } from './test-page.ts';

export type { ContextOptions, EngineBrowser, EngineContext, EngineName, TestPage } from './test-page.ts';

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

const launchers: Record<EngineName, () => Promise<EngineBrowser>> = {
  chromium: launchChromiumEngine,
  firefox: launchFirefoxEngine,
  webkit: launchWebKitEngine,
};

const timeoutFactor: Record<EngineName, number> = { chromium: 1, firefox: 1.5, webkit: 3 };
/**
 * No test waits longer than this, stretched or not. The slowest test of a full run under a load of
 * 4 took 100 s (16 tabs, Chromium), so a hang costs at most 10 minutes of CI's 90, not 30.
 */
const maxTestMs = 600_000;
/** Starting or closing a browser and its server: seconds normally, a minute (×factor) only if stuck. */
const hookDeadlineMs = 60_000;

export interface BrowserEnv {
  readonly engine: EngineName;
  readonly server: Served;
  readonly browser: EngineBrowser;
  /** `path` on the test server. */
  url(path: string): string;
  /** A fresh context (its own storage, SharedWorkers, caches); closed after the test. */
  newContext(options?: ContextOptions): Promise<EngineContext>;
  /** A page at `path` in a fresh context. */
  newPage(path: string, options?: ContextOptions): Promise<TestPage>;
  /** Test options that run a test only in `engines` and skip it elsewhere, saying why. */
  only(engines: EngineName[], reason: string): { skip?: string };
  /** Test options for a WebGPU test: only Chromium has navigator.gpu here (through SwiftShader). */
  readonly webgpuOnly: { skip?: string };
  /** The Playwright browser, for Chromium-only suites (CDP, routing, dialogs); undefined elsewhere. */
  readonly chromium: Browser;
  /** node:test's `test`, with the engine in the name so that a failure says where. */
  test(name: string, options: TestOptions, fn: (t: TestContext) => Promise<void>): void;
  test(name: string, fn: (t: TestContext) => Promise<void>): void;
}


export interface SuiteOptions {
  server?: ServerOptions;
  /** Engines this suite can run in (default: all); elsewhere it is skipped with `reason`. */
  engines?: EngineName[];
  reason?: string;
}

/**
 * Runs `body` once per selected engine, as a suite named after the engine, with one server and one
 * browser per suite; every context a test opens is closed after it.
 */
export function browserSuite(name: string, options: SuiteOptions, body: (env: BrowserEnv) => void): void {
  const { run, skipped } = selectEngines();
  for (const { engine, reason } of skipped as { engine: string; reason: string }[]) {
    describe(`${engine}: ${name}`, { skip: `${engine} skipped: ${reason}` }, () => {});
  }
  for (const engine of run as EngineName[]) {
    const title = `${engine}: ${name}`;
    if (options.engines && !options.engines.includes(engine)) {
      describe(title, { skip: options.reason ?? `only in ${options.engines.join(', ')}` }, () => {});
      continue;
    }
    describe(title, () => {
      const contexts: EngineContext[] = [];
      const env = {
        engine,
        url: (path: string) => `${env.server.url}${path}`,
        async newContext(contextOptions?: ContextOptions) {
          const context = await env.browser.newContext(contextOptions);
          contexts.push(context);
          return context;
        },
        async newPage(path: string, contextOptions?: ContextOptions) {
          return (await env.newContext(contextOptions)).newPage(env.url(path));
        },
        only: (engines: EngineName[], reason: string) => (engines.includes(engine) ? {} : { skip: `${engines.join('/')} only: ${reason}` }),
        get webgpuOnly() {
          return env.only(['chromium'], 'WebGPU (SwiftShader); Firefox ESR and WebKitGTK have no navigator.gpu');
        },
        test: (name: string, ...rest: unknown[]) => {
          // Deadlines (never asserts) stretch where the driver is slower: WebDriver pages load one command at a time.
          const [options] = rest;
          if (typeof options === 'object' && options && 'timeout' in options && typeof options.timeout === 'number') {
            rest[0] = { ...options, timeout: Math.min(options.timeout * timeoutFactor[engine], maxTestMs) };
          }
          const body = rest.pop() as (t: TestContext) => Promise<void>;
          (test as (...args: unknown[]) => void)(`${name} [${engine}]`, ...rest, async (t: TestContext) => {
            try {
              await body(t);
            } catch (error) {
              // Only a browser that stopped answering its driver earns a second run, in a fresh
              // browser; the page under test failing (or hanging while the driver answers) does not.
              const hung = env.browser.hung;
              if (!hung) throw error;
              const note = `${engine} stopped answering (${hung.message}); relaunched it and ran the test again`;
              t.diagnostic(note);
              console.warn(`⚠ ${t.name}: ${note}`);
              await relaunch();
              await body(t);
            }
          });
        },
      } as BrowserEnv & { server: Served; browser: EngineBrowser };
      const launch = async () => {
        env.browser = await launchers[engine]();
        (env as { chromium?: Browser }).chromium = (env.browser as EngineBrowser & { playwright?: Browser }).playwright;
      };
      const relaunch = async () => {
        await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
        await env.browser.close().catch(() => {});
        await launch();
      };
      // Hooks get deadlines too (node:test gives them none): a browser that never finishes starting
      // or closing fails its suite, and npm test goes on to the next file.
      const hook = { timeout: hookDeadlineMs * timeoutFactor[engine] };
      before(async () => {
        env.server = await serve(options.server);
        await launch();
      }, hook);
      afterEach(async () => {
        await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
      }, hook);
      after(async () => {
        await env.browser?.close();
        await env.server?.close();
      }, hook);
      body(env);
    });
  }
}

export { engineNames, missingReason };
