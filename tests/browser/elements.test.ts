// <tabwise-chatbot> and <tabwise-scoreboard> in real Chromium, driven the way a person would:
// typing, clicking, the keyboard. The tiny generated model on WASM/fp32 keeps each reply fast.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSuite, openPage, serve, type Served } from '../support/browser.ts';

interface RecordedEvent {
  type: string;
  delta?: string;
  role?: string;
  content?: string;
  interrupted?: boolean;
  source?: string;
  attribute?: string;
  name?: string;
  message?: string;
  device?: string;
}

declare global {
  interface Window {
    tabwiseEvents: RecordedEvent[];
    dialogs: string[];
  }
}

browserSuite('elements', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  let server: Served;
  let browser: Browser;
  /** Requests the flaky-model route has answered, for the load-failure test. */
  let flakyRequests = 0;

  before(async () => {
    server = await serve({
      // /models/flaky/ is /models/tiny/ whose first config.json request fails.
      intercept: (req, res) => {
        // /models/slow/ is /models/tiny/ whose ONNX file trickles in, to watch the progress bar.
        if (req.url === '/models/slow/onnx/model.onnx') {
          void trickle(res, readFileSync('models/tiny/onnx/model.onnx'));
          return true;
        }
        if (req.url?.startsWith('/models/slow/')) {
          req.url = req.url.replace('/models/slow/', '/models/tiny/');
          return false;
        }
        if (!req.url?.startsWith('/models/flaky/')) return false;
        if (req.url === '/models/flaky/config.json' && flakyRequests++ === 0) {
          res.statusCode = 503;
          res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
          res.end('the model server is down');
          return true;
        }
        req.url = req.url.replace('/models/flaky/', '/models/tiny/');
        return false;
      },
    });
    browser = env.chromium;
  });
  after(async () => {
    await server?.close();
  });

  /** Sends `body` in 20 pieces over about 3 s. */
  async function trickle(res: import('node:http').ServerResponse, body: Buffer): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, 'Cross-Origin-Resource-Policy': 'same-origin' });
    const pieces = 20;
    for (let i = 0; i < pieces; i++) {
      res.write(body.subarray(Math.floor((i * body.length) / pieces), Math.floor(((i + 1) * body.length) / pieces)));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    res.end();
  }





  /** A fresh browser context that records every tabwise-* event reaching `window`. */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    // A string, not a function: tsx would wrap named arrow functions in a helper the page lacks.
    await context.addInitScript(`
      window.tabwiseEvents = [];
      for (const type of ['tabwise-ready', 'tabwise-token', 'tabwise-message', 'tabwise-error']) {
        addEventListener(type, (e) => window.tabwiseEvents.push({
          type: e.type,
          delta: e.delta,
          role: e.message?.role,
          content: e.message?.content,
          interrupted: e.message?.interrupted,
          source: e.source,
          attribute: e.attribute,
          name: e.error?.name,
          message: e.error?.message,
          device: e.info?.device,
        }));
      }
    `);
    return context;
  }

  /** The chatbot test page with `attributes` set from the query string, once its model is loaded. */
  async function chatbotPage(context: BrowserContext, attributes: Record<string, string> = {}, { ready = true } = {}) {
    const page = await openPage(context, `${server.url}/tests/pages/elements/chatbot.html?${new URLSearchParams(attributes)}`);
    if (ready) await waitForReady(page);
    return page;
  }

  async function waitForReady(page: Page): Promise<void> {
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, null, { timeout: 60_000 });
  }

  /** Resolves once no reply is being generated and the history has `length` messages. */
  async function waitForHistory(page: Page, length: number, selector = 'tabwise-chatbot'): Promise<void> {
    await page.waitForFunction(
      ({ selector, length }) => {
        const chatbot = document.querySelector(selector) as HTMLElementTagNameMap['tabwise-chatbot'];
        return !chatbot.generating && chatbot.history.length === length;
      },
      { selector, length },
      { timeout: 180_000 },
    );
  }

  const part = (name: string, scope = 'tabwise-chatbot') => `${scope} [part~="${name}"]`;
  const events = (page: Page, type?: string) =>
    page.evaluate((type) => window.tabwiseEvents.filter((e) => !type || e.type === type), type);
  const history = (page: Page, selector = 'tabwise-chatbot') =>
    page.evaluate((selector) => (document.querySelector(selector) as HTMLElementTagNameMap['tabwise-chatbot']).history, selector);

  env.test('drop-in page: one script tag, a typed message streams a reply token by token, Send disabled until done', async () => {
    const context = await newContext();
    const page = await openPage(context, `${server.url}/tests/pages/elements/drop-in.html`);
    await waitForReady(page);
    assert.match(await page.locator(part('badge')).innerText(), /WASM · fp32/);
    assert.deepEqual((await events(page, 'tabwise-ready')).map((e) => e.device), ['wasm']);

    // Watch the Send button at every token, inside the page (no polling gaps).
    await page.evaluate(() => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      const send = chatbot.shadowRoot!.querySelector('[part~="send"]') as HTMLButtonElement;
      (window as any).sendStates = [];
      (window as any).liveStates = [];
      chatbot.addEventListener('tabwise-token', () => {
        (window as any).sendStates.push(send.disabled);
        const reply = chatbot.shadowRoot!.querySelector('[part~="assistant"]:last-of-type');
        (window as any).liveStates.push(`${reply?.getAttribute('aria-live')} ${reply?.getAttribute('aria-busy')}`);
      });
    });
    const send = page.locator(part('send'));
    assert.equal(await send.isDisabled(), false);
    await page.locator(part('input')).fill('Hello, how are you?');
    await send.click();
    assert.equal(await send.isDisabled(), true, 'Send is disabled as soon as the message is sent');
    await waitForHistory(page, 2);

    const tokens = await events(page, 'tabwise-token');
    const [turn, reply] = await history(page);
    assert.deepEqual(turn, { role: 'user', content: 'Hello, how are you?' });
    assert.ok(tokens.length > 1, `the reply streamed in ${tokens.length} pieces`);
    assert.equal(tokens.map((e) => e.delta).join(''), reply.content);
    assert.ok((await page.evaluate(() => (window as any).sendStates as boolean[])).every(Boolean), 'Send stayed disabled while tokens arrived');
    assert.equal(await send.isDisabled(), false, 'Send is enabled again once the reply is done');
    const liveStates = await page.evaluate(() => (window as any).liveStates as string[]);
    assert.ok(liveStates.length > 0 && liveStates.every((state) => state === 'polite true'), `the streaming reply is a busy live region: ${liveStates}`);
    assert.equal(await page.locator(`${part('assistant')}[aria-live="polite"][aria-busy="false"]`).count(), 1, 'announced once complete');
    assert.equal(await page.locator(`${part('assistant')} [part~="bubble"]`).textContent(), reply.content);
    assert.deepEqual(
      (await events(page, 'tabwise-message')).map((e) => e.role),
      ['user', 'assistant'],
    );
    assert.match(await page.locator(part('footer')).innerText(), /tokens\/s[\s\S]*to first token/);
    assert.equal(await page.locator(part('input')).inputValue(), '', 'the message box was emptied');
    assert.deepEqual(page.errors, []);
  });

  env.test('Stop interrupts the reply; auto-scroll follows it until the user scrolls up; Retry sends again', async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '1000' });
    await page.evaluate(() => (document.querySelector('tabwise-chatbot')!.style.height = '22rem'));
    await page.locator(part('input')).fill('Tell me a long story.');
    await page.locator(part('input')).press('Enter');

    const log = part('log');
    // Let the reply overflow the list: auto-scroll keeps its end in view.
    await page.waitForFunction((log) => {
      const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
      return list.scrollHeight > list.clientHeight + 150;
    }, log, { timeout: 120_000 });
    const atBottom = () =>
      page.evaluate(() => {
        const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
        return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      });
    assert.equal(await atBottom(), true, 'the list follows the streaming reply');

    // The user scrolls up: new tokens must not pull the list back down.
    await page.locator(log).hover();
    await page.mouse.wheel(0, -5000);
    await page.waitForFunction(() => {
      const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
      return list.scrollTop === 0;
    });
    const tokensAtScroll = (await events(page, 'tabwise-token')).length;
    await page.waitForFunction((n) => window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length > n + 5, tokensAtScroll);
    assert.equal(await page.evaluate(() => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!.scrollTop), 0);
    assert.equal(await page.getByRole('button', { name: 'Latest' }).isVisible(), true, 'a button offers to jump back down');

    await page.locator(part('stop')).click();
    await waitForHistory(page, 2);
    const [, reply] = await history(page);
    const tokens = (await events(page, 'tabwise-token')).length;
    assert.equal(reply.interrupted, true);
    assert.ok(tokens < 1000, `stopped after ${tokens} of 1000 tokens`);
    assert.ok(reply.content.length > 0, 'the partial reply stays');
    assert.match(await page.locator(part('message')).nth(1).innerText(), /Stopped/);
    assert.equal(await page.locator(part('send')).isDisabled(), false);
    assert.equal(await page.locator(part('stop')).isDisabled(), true);
    const last = (await events(page, 'tabwise-message')).at(-1)!;
    assert.equal(last.interrupted, true, 'tabwise-message reports the stopped reply');

    // Retry sends the last message again and gets a complete reply.
    await page.evaluate(() => document.querySelector('tabwise-chatbot')!.setAttribute('max-new-tokens', '6'));
    const before = (await history(page)).length;
    await page.locator(part('retry')).click();
    await page.waitForFunction(
      (before) => {
        const chatbot = document.querySelector('tabwise-chatbot')!;
        return !chatbot.generating && window.tabwiseEvents.filter((e) => e.type === 'tabwise-message').length >= 4 && chatbot.history.length >= before;
      },
      before,
      { timeout: 120_000 },
    );
    const retried = await history(page);
    assert.equal(retried.at(-2)!.content, 'Tell me a long story.');
    assert.equal(retried.at(-1)!.role, 'assistant');
    assert.notEqual(retried.at(-1)!.interrupted, true);
    assert.deepEqual(page.errors, []);
  });

  env.test('Clear empties the history, and the next reply does not see the old turns', async () => {
    const context = await newContext();
    const page = await chatbotPage(context);
    const stats = () => page.evaluate(() => document.querySelector('tabwise-chatbot')!.stats!);
    const say = async (text: string, length: number) => {
      await page.locator(part('input')).fill(text);
      await page.locator(part('send')).click();
      await waitForHistory(page, length);
    };

    await say('Hello there, my name is Ada.', 2);
    const first = { reply: (await history(page))[1].content, context: (await stats()).contextTokens };
    await say('What is my name?', 4);
    assert.ok((await stats()).contextTokens > first.context, 'a second turn sees the first');

    await page.locator(part('clear')).click();
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')!.history.length === 0);
    assert.equal(await page.locator(part('message')).count(), 0, 'no message is shown');
    assert.equal(await page.locator(part('clear')).isDisabled(), true);

    await say('Hello there, my name is Ada.', 2);
    assert.equal((await stats()).contextTokens, first.context, 'the context holds only the new message');
    assert.equal((await history(page))[1].content, first.reply, 'so the (greedy) reply is the first one again');
    assert.deepEqual(page.errors, []);
  });

  env.test('two pages: separate chat histories, one shared scoreboard that loses no concurrent submission', async () => {
    const context = await newContext();
    const [a, b] = await Promise.all([
      openPage(context, `${server.url}/tests/pages/elements/drop-in.html`),
      openPage(context, `${server.url}/tests/pages/elements/drop-in.html`),
    ]);
    await Promise.all([waitForReady(a), waitForReady(b)]);

    await a.locator(part('input')).fill('I am the first tab.');
    await a.locator(part('input')).press('Enter');
    await b.locator(part('input')).fill('I am the second tab.');
    await b.locator(part('input')).press('Enter');
    await Promise.all([waitForHistory(a, 2), waitForHistory(b, 2)]);
    assert.equal((await history(a))[0].content, 'I am the first tab.');
    assert.equal((await history(b))[0].content, 'I am the second tab.');
    assert.equal(await a.getByText('I am the second tab.').count(), 0);
    assert.equal(await b.getByText('I am the first tab.').count(), 0);

    // A score typed in one tab shows up in the other.
    await a.locator(part('input', 'tabwise-scoreboard')).fill('42');
    await a.locator(part('submit', 'tabwise-scoreboard')).click();
    await b.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.topScores[0] === 42, null, { timeout: 60_000 });
    assert.match(await b.locator(part('list', 'tabwise-scoreboard')).innerText(), /42/);

    // Twenty submissions at once from both tabs: compare-and-set keeps every one.
    const burst = (page: Page, base: number) =>
      page.evaluate((base) => {
        const board = document.querySelector('tabwise-scoreboard')!;
        return Promise.all(Array.from({ length: 10 }, (_, i) => board.submit(base + i)));
      }, base);
    await Promise.all([burst(a, 100), burst(b, 200)]);
    for (const page of [a, b]) {
      await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.all.length === 21, null, { timeout: 60_000 });
    }
    const [allA, allB] = await Promise.all([a, b].map((page) => page.evaluate(() => document.querySelector('tabwise-scoreboard')!.all)));
    assert.deepEqual([...allA].sort((x, y) => x - y), [42, ...Array.from({ length: 10 }, (_, i) => 100 + i), ...Array.from({ length: 10 }, (_, i) => 200 + i)]);
    assert.deepEqual(allB, allA);
    const shown = (page: Page) => page.locator(part('value', 'tabwise-scoreboard')).allInnerTexts();
    assert.deepEqual(await shown(a), ['209', '208', '207']);
    assert.deepEqual(await shown(b), ['209', '208', '207']);
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  env.test('an XSS payload and markdown are shown as text, and no script runs', async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '4' });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '**bold** _italic_ [link](javascript:alert(2)) `code` <script>alert(3)</script>\n# heading',
    ];
    for (const [i, text] of payloads.entries()) {
      await page.locator(part('input')).fill(text);
      await page.locator(part('input')).press('Enter');
      await waitForHistory(page, 2 * (i + 1));
    }
    await page.waitForTimeout(300); // time for an onerror handler to have fired, if one existed
    const shadow = await page.evaluate(() => {
      const root = document.querySelector('tabwise-chatbot')!.shadowRoot!;
      return {
        bubbles: [...root.querySelectorAll('[part~="bubble"]')].map((bubble) => bubble.textContent),
        injected: root.querySelectorAll('[part~="log"] :is(img, script, a, strong, em, code, h1, iframe)').length,
        lightImages: document.querySelectorAll('img').length,
      };
    });
    const messages = await history(page);
    assert.equal(shadow.bubbles[0], payloads[0], 'the payload is shown literally');
    assert.equal(shadow.bubbles[2], payloads[1], 'markdown is not rendered');
    assert.equal(shadow.bubbles[1], messages[1].content || '(no reply)', 'model output is shown as its text');
    assert.equal(shadow.injected, 0, 'no element was created from the text');
    assert.equal(shadow.lightImages, 0);
    assert.deepEqual(dialogs, [], 'no alert fired');
    assert.deepEqual(page.errors, []);
  });

  env.test('keyboard only: Tab to the box, Shift+Enter for a new line, Enter sends, Esc stops, Tab to Clear', async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '400' });
    const focused = () =>
      page.evaluate(() => {
        let element = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        return element?.getAttribute('part') ?? element?.textContent?.trim() ?? element?.tagName ?? '';
      });
    const order: string[] = [];
    for (let presses = 0; presses < 10 && (await focused()) !== 'input'; presses++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.equal(await focused(), 'input', `Tab reaches the message box (went through: ${order.join(' → ')})`);

    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await page.locator(part('input')).inputValue(), 'First line\nsecond line');
    assert.equal((await history(page)).length, 0, 'Shift+Enter did not send');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length >= 3, null, { timeout: 120_000 });
    await page.keyboard.press('Escape');
    await waitForHistory(page, 2);
    const [sent, reply] = await history(page);
    assert.equal(sent.content, 'First line\nsecond line');
    assert.equal(reply.interrupted, true, 'Esc stopped the reply');
    assert.equal(await focused(), 'input', 'focus stays in the message box');

    // Stop is disabled now, so Tab goes Retry → Clear.
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'retry');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'clear');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')!.history.length === 0);
    assert.equal(await focused(), 'input', 'focus returns to the message box after Clear');

    // Every control has an accessible name.
    for (const name of ['Message', 'Send', 'Stop', 'Retry', 'Clear']) {
      assert.equal(await page.getByRole(name === 'Message' ? 'textbox' : 'button', { name, exact: true }).count(), 1, name);
    }
    assert.deepEqual(page.errors, []);
  });

  env.test('invalid attributes: shown inline, reported as tabwise-error, and the last valid value stays in use', async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '-3', 'top-p': '2' });
    const errors = () => page.locator(part('error')).allInnerTexts();
    const shown = await errors();
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.match(shown[0], /max-new-tokens="-3".*maxNewTokens must be an integer in \[1, 1024\], got -3.*Using 64/);
    assert.match(shown[1], /top-p="2".*topP must be in \(0, 1\].*Using 1/);
    const reported = (await events(page, 'tabwise-error')).map((e) => [e.source, e.attribute, e.name]);
    assert.deepEqual(reported, [
      ['attribute', 'max-new-tokens', 'RangeError'],
      ['attribute', 'top-p', 'RangeError'],
    ]);

    // Fixing a value clears its error; a later bad value keeps the fixed one.
    const setAttribute = (name: string, value: string) =>
      page.evaluate(([name, value]) => document.querySelector('tabwise-chatbot')!.setAttribute(name, value), [name, value]);
    await setAttribute('max-new-tokens', '5');
    await setAttribute('top-p', '0.9');
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('[part~="error"]').length === 0);
    await setAttribute('max-new-tokens', 'lots');
    await setAttribute('device', 'cuda');
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('[part~="error"]').length === 2);
    assert.match((await errors()).join('\n'), /max-new-tokens="lots".*Using 5[\s\S]*device="cuda": device must be one of auto, webgpu, wasm/);

    await page.locator(part('input')).fill('Still working?');
    await page.locator(part('input')).press('Enter');
    await waitForHistory(page, 2);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/chatbot-invalid-attributes.png' });
    const stats = await page.evaluate(() => document.querySelector('tabwise-chatbot')!.stats!);
    assert.ok(stats.newTokens >= 1 && stats.newTokens <= 5, `the reply used max-new-tokens 5 (${stats.newTokens} tokens)`);
    assert.equal(await page.evaluate(() => document.querySelector('tabwise-chatbot')!.activeDevice), 'wasm', 'the model was not reloaded');
    assert.deepEqual(page.errors, []);
  });

  env.test('a model that fails to load shows the error and a Try again button that works', async () => {
    flakyRequests = 0;
    const context = await newContext();
    const page = await chatbotPage(context, { model: '/models/flaky/' }, { ready: false });
    const panel = page.locator(part('load-error'));
    await panel.waitFor({ timeout: 120_000 });
    assert.match(await panel.innerText(), /could not be loaded[\s\S]*ModelLoadError[\s\S]*config\.json/);
    assert.match(await page.locator(part('badge')).innerText(), /Not loaded/);
    const [failure] = await events(page, 'tabwise-error');
    assert.deepEqual([failure.source, failure.name], ['load', 'ModelLoadError']);
    assert.equal(await page.locator(part('send')).isDisabled(), true);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/chatbot-load-error.png' });

    // Keyboard only: the first Tab stop is the Try again button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForReady(page);
    assert.equal(await panel.count(), 0);
    await page.locator(part('input')).fill('Hello after the retry');
    await page.locator(part('input')).press('Enter');
    await waitForHistory(page, 2);
    assert.deepEqual(page.errors, []);
  });

  env.test('while loading: a progress bar with the file, MB loaded of total, and percent; then the device badge', async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { model: '/models/slow/' }, { ready: false });
    const progress = page.locator(part('progress'));
    await page.waitForFunction(
      () => {
        const bar = document.querySelector('tabwise-chatbot')?.shadowRoot?.querySelector('progress');
        return bar?.getAttribute('aria-label') === 'Downloading onnx/model.onnx' && bar.value >= 20 && bar.value <= 80;
      },
      null,
      { timeout: 120_000 },
    );
    const text = await progress.innerText();
    assert.match(text, /onnx\/model\.onnx/);
    assert.match(text, /\d+(\.\d)? MB \/ \d+(\.\d)? MB/);
    assert.match(text, /\b\d{1,2}%/);
    assert.match(await page.locator(part('badge')).innerText(), /Loading/);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/chatbot-loading.png' });

    await waitForReady(page);
    assert.equal(await progress.count(), 0);
    assert.match(await page.locator(part('badge')).innerText(), /WASM · fp32/);
    assert.deepEqual(page.errors, []);
  });

  env.test('scoreboard: a bad top is refused inline, scores outside min..max are not stored, keyboard only', async () => {
    const context = await newContext();
    const page = await openPage(context, `${server.url}/tests/pages/elements/scoreboard.html`);
    const board = 'tabwise-scoreboard';
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on'), null, { timeout: 60_000 });
    const errors = () => page.locator(part('error', board)).allInnerTexts();
    assert.match((await errors()).join('\n'), /top="0": top must be an integer in \[1, 100\], got 0\. Showing 3\./);
    assert.equal(await page.locator(part('score', board)).count(), 3);
    assert.deepEqual(
      (await events(page, 'tabwise-error')).map((e) => [e.source, e.attribute]),
      [['attribute', 'top']],
    );

    await page.keyboard.press('Tab');
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.shadowRoot!.textContent!.includes('Enter a number from 0 to 10.'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.all.length === 1);
    assert.deepEqual(await page.evaluate(() => document.querySelector('tabwise-scoreboard')!.all), [7], '11 was not stored');
    assert.deepEqual(await page.locator(part('value', board)).allInnerTexts(), ['7', 'No score yet', 'No score yet']);
    await page.keyboard.press('Enter');
    assert.match((await errors()).join('\n'), /Enter a number to submit\./);
    assert.deepEqual(
      (await events(page, 'tabwise-error')).map((e) => e.source),
      ['attribute', 'input', 'input'],
    );

    await page.evaluate(() => document.querySelector('tabwise-scoreboard')!.setAttribute('top', '5'));
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.shadowRoot!.querySelectorAll('[part~="score"]').length === 5);
    assert.doesNotMatch((await errors()).join('\n'), /top=/);
    assert.deepEqual(page.errors, []);
  });

  env.test('removing top, key or label brings back its default; so does removing the chatbot\'s label', async () => {
    const context = await newContext();
    const page = await openPage(context, `${server.url}/tests/pages/elements/scoreboard.html`);
    const board = 'tabwise-scoreboard';
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on'), null, { timeout: 10_000 });
    assert.match((await page.locator(part('error', board)).allInnerTexts()).join('\n'), /top="0"/);
    await page.evaluate(() => {
      const element = document.querySelector('tabwise-scoreboard')!;
      for (const name of ['top', 'key', 'label']) element.removeAttribute(name);
    });
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.shadowRoot!.querySelectorAll('[part~="score"]').length === 3);
    assert.deepEqual(await page.locator(part('error', board)).allInnerTexts(), [], 'the refusal of top="0" went with the attribute');
    assert.equal(await page.locator(part('title', board)).innerText(), 'Top scores');
    assert.deepEqual(await page.evaluate(() => { const { key, top, label } = document.querySelector('tabwise-scoreboard')!; return { key, top, label }; }), { key: 'scores', top: 3, label: 'Top scores' });
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on'), null, { timeout: 10_000 });

    const chatbot = await chatbotPage(context, { label: 'Helper' }, { ready: false });
    await chatbot.waitForFunction(() => document.querySelector('tabwise-chatbot')?.shadowRoot?.querySelector('[part~="title"]')?.textContent === 'Helper');
    await chatbot.evaluate(() => document.querySelector('tabwise-chatbot')!.removeAttribute('label'));
    await chatbot.waitForFunction(() => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="title"]')!.textContent === 'DialoGPT');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(chatbot.errors, []);
    await context.close();
  });
});
