// The one page interface browser tests use, whatever drives the engine (Playwright for Chromium,
// Puppeteer over WebDriver BiDi for Firefox, classic W3C WebDriver for WebKit).
import type { BrowserContext as PlaywrightContext, Page as PlaywrightPage } from 'playwright-core';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface WaitOptions {
  /** What is awaited, in words: the timeout error names it. */
  what: string;
  timeoutMs?: number;
}

export interface TestPage {
  readonly engine: EngineName;
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and resolves to its (awaited, JSON-like) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>;
  /** Polls `fn(arg)` in the page until it returns something truthy; that value is returned. */
  waitForFunction<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg: A, options: WaitOptions): Promise<Awaited<R>>;
  /** Waits for an element matching `selector` (searching open shadow roots too). */
  waitForSelector(selector: string, options?: Partial<WaitOptions>): Promise<void>;
  /** Text content of every element matching `selector`, open shadow roots included. */
  texts(selector: string): Promise<string[]>;
  /** A real click (pointer events from the driver) on the first element matching `selector`. */
  click(selector: string): Promise<void>;
  /** A real wheel scroll (the driver's wheel input) of `deltaY` pixels over the first element matching `selector`; negative is up. */
  wheel(selector: string, deltaY: number): Promise<void>;
  /** Replaces the value of the first input/textarea matching `selector` by typing `text` into it (each new line as Shift+Enter; Chromium sets it at once). */
  fill(selector: string, text: string): Promise<void>;
  /** Presses one key ('Enter', 'Escape', 'Tab', 'Shift+Enter', 'Control+A') in the focused element. */
  press(key: string): Promise<void>;
  /** Types `text` key by key into the focused element. */
  typeText(text: string): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  /** Uncaught errors and unhandled rejections seen in the page so far (WebKit: since load). */
  errors(): Promise<string[]>;
  /** Console warnings seen in the page so far (WebKit: the page's own, since load). */
  warnings(): Promise<string[]>;
  /** console.error() lines seen in the page so far (WebKit: the page's own, since load). */
  consoleErrors(): Promise<string[]>;
  /** Messages of the alert/confirm/prompt dialogs the page opened, each dismissed (WebKit: since load). */
  dialogs(): Promise<string[]>;
  close(): Promise<void>;
  /** The Playwright page, for Chromium-only tests (CDP, routing); undefined elsewhere. */
  readonly playwright?: PlaywrightPage;
}

export interface ContextOptions {
  viewport?: { width: number; height: number };
  /** Script source run in every page before its own scripts (WebKit: right after load). */
  initScript?: string;
  /** What `prefers-color-scheme` matches (default light). Firefox: a second browser; WebKit: MiniBrowser's --dark-mode. */
  colorScheme?: 'light' | 'dark';
}

export interface EngineContext {
  readonly pages: readonly TestPage[];
  newPage(url?: string): Promise<TestPage>;
  close(): Promise<void>;
  /** The Playwright context, for Chromium-only tests; undefined elsewhere. */
  readonly playwright?: PlaywrightContext;
}

/**
 * The browser itself stopped answering its driver (not the page under test): seen in WebKitGTK under
 * load, where WebKitWebDriver's HTTP server goes silent for minutes. The harness relaunches the engine
 * and runs the test once more (docs/decisions/browsers.md).
 */
export class EngineHungError extends Error {
  override name = 'EngineHungError';
}

export interface EngineBrowser {
  readonly engine: EngineName;
  readonly version: string;
  /** Set once the engine stopped answering; every later command fails at once with it. */
  readonly hung?: EngineHungError;
  newContext(options?: ContextOptions): Promise<EngineContext>;
  close(): Promise<void>;
}

/**
 * Finds elements in the page the way Playwright's CSS does through open shadow roots: `host inner`
 * looks for `inner` inside (the shadow roots of) each `host`; every level searches nested shadow roots.
 */
export const deepQuerySource = `(selector, all) => {
  const found = [];
  const visit = (root, parts) => {
    const [first, ...rest] = parts;
    for (const element of root.querySelectorAll(first)) {
      if (rest.length === 0) {
        found.push(element);
        if (!all) return true;
      } else if (visit(element.shadowRoot ?? element, rest) && !all) return true;
    }
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot && visit(element.shadowRoot, parts) && !all) return true;
    }
    return false;
  };
  visit(document, selector.trim().split(/\\s+(?![^\\[]*\\])/));
  return all ? [...new Set(found)] : found[0];
}`;

/** An expression calling `fn(arg)`; `__name` is the helper tsx (esbuild keepNames) wraps functions in. */
export function callExpression(fn: (arg: never) => unknown, arg: unknown): string {
  return `(() => { const __name = (f) => f; return (${fn}); })()(${arg === undefined ? '' : JSON.stringify(arg)})`;
}

/** Shared parts of every driver's page: waiting and text built on evaluateExpression(). */
export abstract class BasePage implements TestPage {
  abstract readonly engine: EngineName;
  abstract goto(url: string): Promise<void>;
  /** Evaluates a JS expression in the page (awaiting a promise) and returns its JSON-like value. */
  abstract evaluateExpression(expression: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  abstract click(selector: string): Promise<void>;
  abstract wheel(selector: string, deltaY: number): Promise<void>;
  abstract fill(selector: string, text: string): Promise<void>;
  abstract press(key: string): Promise<void>;
  abstract typeText(text: string): Promise<void>;
  abstract screenshot(): Promise<Buffer>;
  abstract close(): Promise<void>;

  /** What the driver's events reported (Chromium, Firefox); WebKit's page reads its own collector instead. */
  protected readonly seen = { errors: [] as string[], warnings: [] as string[], consoleErrors: [] as string[], dialogs: [] as string[] };

  async errors(): Promise<string[]> {
    return [...this.seen.errors];
  }
  async warnings(): Promise<string[]> {
    return [...this.seen.warnings];
  }
  async consoleErrors(): Promise<string[]> {
    return [...this.seen.consoleErrors];
  }
  async dialogs(): Promise<string[]> {
    return [...this.seen.dialogs];
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> {
    return this.evaluateExpression(callExpression(fn as (arg: never) => unknown, arg));
  }

  async waitForFunction<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg: A, options: WaitOptions): Promise<Awaited<R>> {
    return this.waitForExpression(callExpression(fn as (arg: never) => unknown, arg), options);
  }

  async waitForExpression(expression: string, { what, timeoutMs = 60_000 }: WaitOptions): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluateExpression(expression);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`[${this.engine}] timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async waitForSelector(selector: string, { what, timeoutMs }: Partial<WaitOptions> = {}): Promise<void> {
    await this.waitForExpression(`Boolean((${deepQuerySource})(${JSON.stringify(selector)}, false))`, {
      what: what ?? `an element matching ${selector}`,
      timeoutMs,
    });
  }

  texts(selector: string): Promise<string[]> {
    return this.evaluateExpression(`(${deepQuerySource})(${JSON.stringify(selector)}, true).map((element) => element.textContent ?? '')`);
  }
}
