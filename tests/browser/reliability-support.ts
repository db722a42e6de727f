// Helpers shared by the reliability-* and security-* browser tests: the test page of
// tests/pages/reliability/, a record of everything that went wrong in a page (uncaught errors,
// unhandled rejections, dialogs, console errors), and the chatbot's waits.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserEnv, ContextOptions, EngineContext, TestPage } from '../support/browser.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

/** A page of a watched context: its unhandled rejections, dialogs and console errors are recorded. */
export type WatchedPage = TestPage;

/**
 * Runs in every page before its own scripts (WebKit: right after load): records unhandled promise
 * rejections and uncaught errors on window (Playwright's pageerror misses the rejections).
 */
const watchScript = `
  window.__unhandled = [];
  addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    window.__unhandled.push('unhandledrejection: ' + (reason && reason.name ? reason.name + ': ' + reason.message : String(reason)));
  });
  addEventListener('error', (event) => window.__unhandled.push('error: ' + event.message));
`;

/** A fresh context (closed after the test) whose pages record unhandled rejections (see `unhandled`). */
export function watchedContext(env: BrowserEnv, options: ContextOptions = {}): Promise<EngineContext> {
  return env.newContext({ ...options, initScript: `${watchScript}\n${options.initScript ?? ''}` });
}

/** Opens `url` in `context`; waits for body[data-ready] unless told not to. */
export async function watchedPage(context: EngineContext, url: string, { ready = true } = {}): Promise<WatchedPage> {
  const page = await context.newPage(url);
  if (ready) await page.waitForSelector('body[data-ready]', { what: `${url} to load the bundle`, timeoutMs: 120_000 });
  return page;
}

/** Unhandled rejections and uncaught errors the watch script saw, plus the driver's page errors. */
export async function unhandled(page: WatchedPage): Promise<string[]> {
  const seen = await page.evaluate(() => window.__unhandled ?? []);
  return [...seen, ...(await page.errors()).map((error) => `pageerror: ${error}`)];
}

/** console.error() lines, ORT's own log lines left out (it logs its warnings at the error level). */
export async function consoleErrors(page: WatchedPage): Promise<string[]> {
  return (await page.consoleErrors()).filter((text) => !/onnxruntime/.test(text));
}

/** Everything that went wrong in a page: asserted empty at the end of a test. */
export async function problems(page: WatchedPage): Promise<{ unhandled: string[]; dialogs: string[]; consoleErrors: string[] }> {
  return { unhandled: await unhandled(page), dialogs: await page.dialogs(), consoleErrors: await consoleErrors(page) };
}

export const noProblems = { unhandled: [], dialogs: [], consoleErrors: [] };

/**
 * Resolves once the handlers an injected payload could have set off would have run: a sentinel image
 * with the payloads' own src="x" fails after theirs (same URL, requested later), then two frames pass.
 * An event to wait for instead of a guessed delay.
 */
export async function payloadHandlersSettled(page: TestPage): Promise<void> {
  await page.evaluate(async () => {
    const sentinel = new Image();
    await new Promise((settled) => {
      sentinel.addEventListener('error', settled, { once: true });
      sentinel.addEventListener('load', settled, { once: true });
      sentinel.src = 'x';
    });
    for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  });
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

export async function waitForChatbotReady(page: TestPage, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, undefined, { what: 'the chatbot to load its model', timeoutMs });
}

/** Resolves once no reply is being generated and the chatbot's history has `length` messages. */
export async function waitForChatbotHistory(page: TestPage, length: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (length) => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      return !chatbot.generating && chatbot.history.length === length;
    },
    length,
    { what: `the chatbot's history to reach ${length} messages, no reply generating`, timeoutMs },
  );
}

/** Types `text` into the chatbot's message box and presses Enter, as a person would. */
export async function typeMessage(page: TestPage, text: string): Promise<void> {
  await page.fill(chatbotPart('input'), text);
  await page.press('Enter');
}

export const chatbotPart = (name: string) => `tabwise-chatbot [part~="${name}"]`;
export const scoreboardPart = (name: string) => `tabwise-scoreboard [part~="${name}"]`;

/** Inline texts of the chatbot's or scoreboard's error lines. */
export function shownErrors(page: TestPage, tag: 'tabwise-chatbot' | 'tabwise-scoreboard' = 'tabwise-chatbot'): Promise<string[]> {
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
