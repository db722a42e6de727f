// Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi (never a downloaded browser).
import puppeteer, { type Browser, type BrowserContext, type ElementHandle, type KeyInput, type Page } from 'puppeteer-core';
// @ts-expect-error plain JS module shared with the npm scripts
import { firefoxPath } from '../../../scripts/browsers.js';
import { BasePage, deepQuerySource, type ContextOptions, type EngineBrowser, type EngineContext } from '../test-page.ts';

class FirefoxPage extends BasePage {
  readonly engine = 'firefox' as const;

  constructor(readonly page: Page) {
    super();
    page.on('pageerror', (error) => {
      // Firefox logs a CSP violation as a script error of the page: it is a console message, not an uncaught error.
      if (/^(Error: )?Content-Security-Policy:/.test(String(error))) this.seen.consoleErrors.push(String(error));
      else this.seen.errors.push(String(error));
    });
    page.on('console', (message) => {
      if (message.type() === 'warn') this.seen.warnings.push(message.text());
      if (message.type() === 'error') this.seen.consoleErrors.push(message.text());
      if (process.env.TABWISE_DEBUG) console.log(`[firefox] ${message.type()}: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      this.seen.dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => {});
    });
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }
  evaluateExpression(expression: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.page.evaluate(expression);
  }
  async #element(selector: string): Promise<ElementHandle<Element>> {
    const handle = await this.page.evaluateHandle(`(${deepQuerySource})(${JSON.stringify(selector)}, false)`);
    const element = handle.asElement() as ElementHandle<Element> | null;
    if (!element) throw new Error(`[firefox] no element matches ${selector}`);
    return element;
  }
  async click(selector: string): Promise<void> {
    await (await this.#element(selector)).click();
  }
  async wheel(selector: string, deltaY: number): Promise<void> {
    await (await this.#element(selector)).hover();
    await this.page.mouse.wheel({ deltaY });
  }
  async fill(selector: string, text: string): Promise<void> {
    const element = await this.#element(selector);
    await element.evaluate((field) => {
      (field as HTMLInputElement).value = '';
      (field as HTMLInputElement).focus();
    });
    // Typing "\n" would press Enter (and send a chat message): a person types Shift+Enter for a new line.
    const [first, ...lines] = text.split('\n');
    await element.type(first);
    for (const line of lines) {
      await this.press('Shift+Enter');
      await element.type(line);
    }
  }
  async press(key: string): Promise<void> {
    const keys = key.split('+') as KeyInput[];
    const main = keys.pop()!;
    for (const modifier of keys) await this.page.keyboard.down(modifier);
    await this.page.keyboard.press(main);
    for (const modifier of keys.reverse()) await this.page.keyboard.up(modifier);
  }
  async typeText(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.page.screenshot());
  }
  async close(): Promise<void> {
    await this.page.close();
  }
}

/**
 * puppeteer-core sends emulation.setScreenOrientationOverride with every setViewport, and Firefox ESR
 * 153 does not know that command. The viewport itself is set by the command sent beside it, which may
 * still be in flight when that refusal comes back: only that refusal is tolerated, and the size awaited.
 */
async function setViewport(page: Page, viewport: { width: number; height: number }): Promise<void> {
  await page.setViewport(viewport).catch((error: Error) => {
    if (!/unknown command emulation\.setScreenOrientationOverride/.test(error.message)) throw error;
  });
  const wanted = JSON.stringify([viewport.width, viewport.height]);
  for (const deadline = Date.now() + 10_000; ; ) {
    const size = JSON.stringify(await page.evaluate('[innerWidth, innerHeight]'));
    if (size === wanted) return;
    if (Date.now() > deadline) throw new Error(`[firefox] timed out after 10 s waiting for the viewport ${wanted} (it is ${size})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

class FirefoxContext implements EngineContext {
  readonly pages: FirefoxPage[] = [];
  constructor(
    readonly context: BrowserContext,
    readonly options: ContextOptions,
  ) {}

  async newPage(url?: string): Promise<FirefoxPage> {
    const raw = await this.context.newPage();
    if (this.options.viewport) await setViewport(raw, this.options.viewport);
    // tsx (esbuild keepNames) may wrap functions in __name(); init scripts run before the page's own.
    await raw.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
    if (this.options.initScript) await raw.evaluateOnNewDocument(this.options.initScript);
    const page = new FirefoxPage(raw);
    this.pages.push(page);
    if (url) await page.goto(url);
    return page;
  }
  async close(): Promise<void> {
    await this.context.close();
  }
}

export async function launchFirefoxEngine(): Promise<EngineBrowser> {
  const launch = (extraPrefsFirefox: Record<string, unknown> = {}): Promise<Browser> =>
    puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath, headless: true, extraPrefsFirefox });
  const browser = await launch();
  // WebDriver BiDi has no per-context prefers-color-scheme, and the pref that sets it is the whole
  // browser's: dark contexts are user contexts of a second browser, launched the first time one is asked for.
  let dark: Promise<Browser> | undefined;
  return {
    engine: 'firefox',
    version: (await browser.version()).replace('firefox/', ''),
    // A user context per test: its own cookies, storage, SharedWorkers and Cache API.
    newContext: async (options: ContextOptions = {}) => {
      const host = options.colorScheme === 'dark' ? await (dark ??= launch({ 'layout.css.prefers-color-scheme.content-override': 0 })) : browser;
      return new FirefoxContext(await host.createBrowserContext(), options);
    },
    close: async () => {
      await dark?.then((other) => other.close()).catch(() => {});
      await browser.close();
    },
  };
}
