// Chromium: Debian's /usr/bin/chromium driven by playwright-core (never a downloaded browser).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error plain JS module shared with the npm scripts
import { chromiumArgs, findChromium } from '../../../scripts/chromium.js';
import { BasePage, type ContextOptions, type EngineBrowser, type EngineContext } from '../test-page.ts';

class ChromiumPage extends BasePage {
  readonly engine = 'chromium' as const;

  constructor(readonly playwright: Page) {
    super();
    // Playwright's 30 s default is an idle machine's figure; these waits are hang guards, not timings.
    playwright.setDefaultTimeout(120_000);
    playwright.on('pageerror', (error) => this.seen.errors.push(String(error)));
    playwright.on('console', (message) => {
      if (message.type() === 'warning') this.seen.warnings.push(message.text());
      if (message.type() === 'error') this.seen.consoleErrors.push(message.text());
      if (process.env.TABWISE_DEBUG) console.log(`[chromium] ${message.type()}: ${message.text()}`);
    });
    playwright.on('dialog', (dialog) => {
      this.seen.dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => {});
    });
  }

  async goto(url: string): Promise<void> {
    await this.playwright.goto(url);
  }
  evaluateExpression(expression: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.playwright.evaluate(expression);
  }
  async click(selector: string): Promise<void> {
    await this.playwright.locator(selector).first().click();
  }
  async wheel(selector: string, deltaY: number): Promise<void> {
    await this.playwright.locator(selector).first().hover();
    await this.playwright.mouse.wheel(0, deltaY);
  }
  async fill(selector: string, text: string): Promise<void> {
    await this.playwright.locator(selector).first().fill(text);
  }
  async press(key: string): Promise<void> {
    await this.playwright.keyboard.press(key);
  }
  async typeText(text: string): Promise<void> {
    await this.playwright.keyboard.type(text);
  }
  screenshot(): Promise<Buffer> {
    return this.playwright.screenshot();
  }
  async close(): Promise<void> {
    await this.playwright.close();
  }
}

class ChromiumContext implements EngineContext {
  readonly pages: ChromiumPage[] = [];
  constructor(readonly playwright: BrowserContext) {}

  async newPage(url?: string): Promise<ChromiumPage> {
    const page = new ChromiumPage(await this.playwright.newPage());
    this.pages.push(page);
    if (url) await page.goto(url);
    return page;
  }
  async close(): Promise<void> {
    await this.playwright.close();
  }
}

export async function launchChromiumEngine(): Promise<EngineBrowser & { playwright: Browser }> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found (set CHROMIUM_PATH)');
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  return {
    engine: 'chromium',
    version: browser.version(),
    playwright: browser,
    async newContext({ viewport, initScript, colorScheme }: ContextOptions = {}) {
      const context = await browser.newContext({ ...(viewport ? { viewport } : {}), colorScheme: colorScheme ?? 'light' });
      // tsx compiles test files with esbuild's keepNames, which wraps functions passed to
      // page.evaluate() in a __name() helper the page does not have.
      await context.addInitScript('globalThis.__name = (fn) => fn;');
      if (initScript) await context.addInitScript(initScript);
      return new ChromiumContext(context);
    },
    close: () => browser.close(),
  };
}
