// Helpers shared by the reliability-* and security-* browser tests: the test page of
// tests/pages/reliability/, a record of everything that went wrong in a page (uncaught errors,
// unhandled rejections, dialogs, console errors), and the chatbot's waits.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage } from '../support/browser.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

export type WatchedPage = Page & {
  /** Uncaught errors (from openPage). */
  errors: Error[];
  /** alert(), confirm(), prompt() messages: none may ever open. */
  dialogs: string[];
  /** console.error() lines of the page and its workers (ORT's own log lines left out). */
  consoleErrors: string[];
  /** console.warn() lines of the page and its workers. */
  warnings: string[];
};

/**
 * Runs in every page and frame before its own scripts: records unhandled promise rejections and
 * uncaught errors on window (Playwright's pageerror misses the rejections).
 */
const watchScript = `
  window.__unhandled = [];
  addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    window.__unhandled.push('unhandledrejection: ' + (reason && reason.name ? reason.name + ': ' + reason.message : String(reason)));
  });
  addEventListener('error', (event) => window.__unhandled.push('error: ' + event.message));
`;

/** A browser context whose pages record unhandled rejections (see `unhandled`). */
export async function watchedContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript(watchScript);
  return context;
}

/** Opens `url`, recording dialogs and console errors from the first script on; waits for body[data-ready] unless told not to. */
export async function watchedPage(context: BrowserContext, url: string, { ready = true } = {}): Promise<WatchedPage> {
  // openPage on a blank page first, so every listener is on before the test page's first script.
  const page = (await openPage(context, 'about:blank')) as WatchedPage;
  page.dialogs = [];
  page.consoleErrors = [];
  page.warnings = [];
  page.on('dialog', (dialog) => {
    page.dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => {});
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/onnxruntime/.test(text)) return; // ORT logs its own warnings at the error level
    if (message.type() === 'error') page.consoleErrors.push(text);
    if (message.type() === 'warning') page.warnings.push(text);
  });
  await page.goto(url);
  if (ready) await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
  return page;
}

/** Unhandled rejections and uncaught errors the page's init script saw, plus Playwright's pageerrors. */
export async function unhandled(page: WatchedPage): Promise<string[]> {
  const seen = await page.evaluate(() => window.__unhandled ?? []);
  return [...seen, ...page.errors.map((error) => `pageerror: ${error.message}`)];
}

/** The reliability test page with these elements and attributes (see tests/pages/reliability/page.js). */
export function reliabilityUrl(baseUrl: string, elements: { chatbot?: Record<string, string>; scoreboard?: Record<string, string> } = {}): string {
  const params = new URLSearchParams();
  for (const [tag, attributes] of Object.entries(elements)) {
    params.set(tag, '');
    for (const [name, value] of Object.entries(attributes ?? {})) params.set(`${tag}.${name}`, value);
  }
  const query = params.toString();
  return `${baseUrl}/tests/pages/reliability/index.html${query ? `?${query}` : ''}`;
}

export async function waitForChatbotReady(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, null, { timeout });
}

/** Resolves once no reply is being generated and the chatbot's history has `length` messages. */
export async function waitForChatbotHistory(page: Page, length: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (length) => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      return !chatbot.generating && chatbot.history.length === length;
    },
    length,
    { timeout },
  );
}

export const chatbotPart = (name: string) => `tabwise-chatbot [part~="${name}"]`;
export const scoreboardPart = (name: string) => `tabwise-scoreboard [part~="${name}"]`;

/** Inline texts of the chatbot's or scoreboard's error lines. */
export function shownErrors(page: Page, tag: 'tabwise-chatbot' | 'tabwise-scoreboard' = 'tabwise-chatbot'): Promise<string[]> {
  return page.evaluate(
    (tag) => [...document.querySelector(tag)!.shadowRoot!.querySelectorAll('[part~="error"]')].map((node) => node.textContent!.trim()),
    tag,
  );
}

/**
 * Markup a hostile model could put in its replies. A real checkpoint can say anything; here a
 * tokenizer.json whose decoder replaces every decoded text with this makes the tiny model say it.
 */
export const markupPayload = '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">click</a><b>bold</b>';

/**
 * Serves /models/evil/ as /models/tiny/ with a tokenizer whose decoder turns every reply into
 * `markupPayload`: the model's output is attacker-controlled markup. Use as serve({ intercept }).
 */
export function evilModelRoute(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const tokenizer = JSON.parse(readFileSync(`${requireTinyModel()}tokenizer.json`, 'utf8'));
  tokenizer.decoder = {
    type: 'Sequence',
    decoders: [tokenizer.decoder, { type: 'Replace', pattern: { Regex: '[\\s\\S]+' }, content: markupPayload }],
  };
  const body = Buffer.from(JSON.stringify(tokenizer));
  return (req, res) => {
    if (!req.url?.startsWith('/models/evil/')) return false;
    if (req.url.split('?')[0] === '/models/evil/tokenizer.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cross-Origin-Resource-Policy': 'same-origin' });
      res.end(body);
      return true;
    }
    req.url = req.url.replace('/models/evil/', '/models/tiny/');
    return false;
  };
}

// What the watch script keeps on window.
declare global {
  interface Window {
    __unhandled: string[];
  }
}
