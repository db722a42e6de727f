// <tabwise-chatbot> and <tabwise-scoreboard> in every engine, driven the way a person would:
// typing, clicking, the keyboard. The tiny generated model on WASM/fp32 keeps each reply fast.
// Screenshots go to test-artifacts/ (looked at once by eye); the asserts are structural.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite, type EngineContext, type TestPage } from '../support/browser.ts';
import { payloadHandlersSettled } from './reliability-support.ts';

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
  }
}

/** The element test pages' event recorder (tests/pages/elements/record-events.js), as an init script. */
const recordEvents = readFileSync('tests/pages/elements/record-events.js', 'utf8');

/** Requests the flaky-model route has answered, for the load-failure test. */
let flakyRequests = 0;

/** Lets the slow model's download go on past half (the progress test calls it once it has looked). */
let releaseSlowModel = () => {};

/**
 * Sends `body` in 20 pieces 150 ms apart, holding at half until `releaseSlowModel()` (or 120 s): a
 * WebKit poll under load took longer than the 20–80 % window of a download that never waited.
 */
async function trickle(res: ServerResponse, body: Buffer): Promise<void> {
  // Armed before the first byte, so a release that comes before the half is not lost.
  const released = new Promise<void>((resolve) => {
    releaseSlowModel = resolve;
    setTimeout(resolve, 120_000).unref();
  });
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, 'Cross-Origin-Resource-Policy': 'same-origin' });
  const pieces = 20;
  for (let i = 0; i < pieces; i++) {
    if (i === pieces / 2) await released;
    res.write(body.subarray(Math.floor((i * body.length) / pieces), Math.floor(((i + 1) * body.length) / pieces)));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  res.end();
}

/** /models/flaky/ is /models/tiny/ whose first config.json request fails; /models/slow/ trickles its ONNX file in. */
function faultyModels(req: IncomingMessage, res: ServerResponse): boolean {
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
}

browserSuite('elements', { server: { intercept: faultyModels } }, (env) => {
  const timeout = 240_000; // a hang guard, several times an idle run

  /** A fresh browser context that records every tabwise-* event reaching `window`. */
  function newContext(): Promise<EngineContext> {
    // The drop-in page has one script tag, so its events are recorded by this init script (in WebKit
    // from load on: its first events, the attribute refusals, are asserted on the other pages).
    return env.newContext({ viewport: { width: 1000, height: 800 }, initScript: recordEvents });
  }

  /** The chatbot test page with `attributes` set from the query string, once its model is loaded. */
  async function chatbotPage(context: EngineContext, attributes: Record<string, string> = {}, { ready = true } = {}) {
    const page = await context.newPage(env.url(`/tests/pages/elements/chatbot.html?${new URLSearchParams(attributes)}`));
    if (ready) await waitForReady(page);
    return page;
  }

  async function waitForReady(page: TestPage): Promise<void> {
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, undefined, { what: 'the chatbot to load its model', timeoutMs: 90_000 });
  }

  /** Resolves once no reply is being generated and the history has `length` messages. */
  async function waitForHistory(page: TestPage, length: number, selector = 'tabwise-chatbot'): Promise<void> {
    await page.waitForFunction(
      ({ selector, length }) => {
        const chatbot = document.querySelector(selector) as HTMLElementTagNameMap['tabwise-chatbot'];
        return !chatbot.generating && chatbot.history.length === length;
      },
      { selector, length },
      { what: `${selector}'s history to reach ${length} messages, no reply generating`, timeoutMs: 180_000 },
    );
  }

  /** Resolves once `fn(arg)` holds in the page; `what` names it in the timeout error. */
  const until = <A>(page: TestPage, what: string, fn: (arg: A) => unknown, arg?: A) => page.waitForFunction(fn, arg as A, { what, timeoutMs: 120_000 });

  const part = (name: string, scope = 'tabwise-chatbot') => `${scope} [part~="${name}"]`;
  const events = (page: TestPage, type?: string) =>
    page.evaluate((type) => window.tabwiseEvents.filter((e) => !type || e.type === type), type);
  const history = (page: TestPage, selector = 'tabwise-chatbot') =>
    page.evaluate((selector) => (document.querySelector(selector) as HTMLElementTagNameMap['tabwise-chatbot']).history, selector);
  /** Trimmed texts of the parts matching `selector`, in order. */
  const shown = async (page: TestPage, selector: string) => (await page.texts(selector)).map((text) => text.trim());
  /** The first element matching `selector`'s disabled, value, aria attributes and visibility. */
  const control = (page: TestPage, name: string, scope = 'tabwise-chatbot') =>
    page.evaluate(
      ({ name, scope }) => {
        const element = document.querySelector(scope)!.shadowRoot!.querySelector<HTMLButtonElement & HTMLTextAreaElement>(`[part~="${name}"]`);
        return element && { disabled: element.disabled, value: element.value, visible: element.checkVisibility() };
      },
      { name, scope },
    );
  const disabled = async (page: TestPage, name: string, scope?: string) => (await control(page, name, scope))!.disabled;
  /** Saves a screenshot under test-artifacts/ (looked at by eye; the tests assert structure). */
  async function screenshot(page: TestPage, name: string): Promise<void> {
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(`test-artifacts/${env.engine}-${name}.png`, await page.screenshot());
  }

  env.test('drop-in page: one script tag, a typed message streams a reply token by token, Send disabled until done', { timeout }, async () => {
    const context = await newContext();
    const page = await context.newPage(env.url('/tests/pages/elements/drop-in.html'));
    await waitForReady(page);
    assert.match((await shown(page, part('badge')))[0], /WASM · fp32/);
    assert.deepEqual((await events(page, 'tabwise-ready')).map((e) => e.device), ['wasm']);

    // Watch the Send button at every token, inside the page (no polling gaps).
    await page.evaluate(() => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      const send = chatbot.shadowRoot!.querySelector('[part~="send"]') as HTMLButtonElement;
      (window as any).sendStates = [];
      (window as any).liveStates = [];
      // Every change of Send's disabled state, with how many tokens had arrived by then (one
      // sendStates entry each): the reply of the tiny model can be done before a check from the test
      // runner gets to the page.
      (window as any).sendChanges = [];
      const tokensSoFar = () => (window as any).sendStates.length;
      new MutationObserver(() => (window as any).sendChanges.push({ disabled: send.disabled, tokens: tokensSoFar() })).observe(send, {
        attributes: true,
        attributeFilter: ['disabled'],
      });
      chatbot.addEventListener('tabwise-token', () => {
        (window as any).sendStates.push(send.disabled);
        const reply = chatbot.shadowRoot!.querySelector('[part~="assistant"]:last-of-type');
        (window as any).liveStates.push(`${reply?.getAttribute('aria-live')} ${reply?.getAttribute('aria-busy')}`);
      });
    });
    assert.equal(await disabled(page, 'send'), false);
    await page.fill(part('input'), 'Hello, how are you?');
    await page.click(part('send'));
    await waitForHistory(page, 2);

    const tokens = await events(page, 'tabwise-token');
    const sendChanges = await page.evaluate(() => (window as any).sendChanges as { disabled: boolean; tokens: number }[]);
    assert.deepEqual(
      sendChanges,
      [
        { disabled: true, tokens: 0 },
        { disabled: false, tokens: tokens.length },
      ],
      'Send is disabled as soon as the message is sent, before the first token, and enabled again only after the last',
    );
    const [turn, reply] = await history(page);
    assert.deepEqual(turn, { role: 'user', content: 'Hello, how are you?' });
    assert.ok(tokens.length > 1, `the reply streamed in ${tokens.length} pieces`);
    assert.equal(tokens.map((e) => e.delta).join(''), reply.content);
    assert.ok((await page.evaluate(() => (window as any).sendStates as boolean[])).every(Boolean), 'Send stayed disabled while tokens arrived');
    assert.equal(await disabled(page, 'send'), false, 'Send is enabled again once the reply is done');
    const liveStates = await page.evaluate(() => (window as any).liveStates as string[]);
    assert.ok(liveStates.length > 0 && liveStates.every((state) => state === 'polite true'), `the streaming reply is a busy live region: ${liveStates}`);
    assert.equal((await page.texts(`${part('assistant')}[aria-live="polite"][aria-busy="false"]`)).length, 1, 'announced once complete');
    assert.equal((await page.texts(`${part('assistant')} [part~="bubble"]`))[0], reply.content);
    assert.deepEqual(
      (await events(page, 'tabwise-message')).map((e) => e.role),
      ['user', 'assistant'],
    );
    assert.match((await page.texts(part('footer')))[0], /tokens\/s[\s\S]*to first token/);
    assert.equal((await control(page, 'input'))!.value, '', 'the message box was emptied');
    await screenshot(page, 'chatbot-drop-in');
    assert.deepEqual(await page.errors(), []);
  });

  env.test("auto-scroll follows the streaming reply until a real wheel scroll up (the driver's wheel input), then offers Latest", { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '1000' });
    await page.evaluate(() => (document.querySelector('tabwise-chatbot')!.style.height = '22rem'));
    await page.fill(part('input'), 'Tell me a long story.');
    await page.press('Enter');

    const log = part('log');
    // Let the reply overflow the list: auto-scroll keeps its end in view.
    await until(page, 'the reply to overflow the list', () => {
      const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
      return list.scrollHeight > list.clientHeight + 150;
    });
    /** Where the list is, as the user sees it (also each assertion's message, so a failure says). */
    const scrolled = () =>
      page.evaluate(() => {
        const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
        const tokens = window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length;
        return { top: list.scrollTop, toEnd: list.scrollHeight - list.scrollTop - list.clientHeight, height: list.clientHeight, tokens };
      });
    const atEnd = await scrolled();
    assert.ok(atEnd.toEnd < 40, `the list follows the streaming reply: ${JSON.stringify(atEnd)}`);

    // The user scrolls up: new tokens must not pull the list back down.
    await page.wheel(log, -5000);
    await until(page, 'a visible button named Latest', () =>
      [...document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('button')].some(
        (button) => (button.getAttribute('aria-label') ?? button.textContent)!.trim() === 'Latest' && button.checkVisibility(),
      ),
    );
    // The wheel's scroll is animated: once it is well away from the end, anything later only moves it further up.
    await until(page, 'the wheel to move the list 100 px or more up from its end', () => {
      const list = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="log"]')!;
      return list.scrollHeight - list.scrollTop - list.clientHeight >= 100;
    });
    const settled = await scrolled();
    await until(page, 'five more tokens', (n) => window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length > n + 5, settled.tokens);
    const later = await scrolled();
    assert.ok(later.top <= settled.top, `new tokens did not pull the list down: ${JSON.stringify({ settled, later })}`);

    await page.click(part('stop'));
    await waitForHistory(page, 2);
    assert.ok((await events(page, 'tabwise-token')).length < 1000, 'stopped before the 1000 tokens');
    assert.deepEqual(await page.errors(), []);
  });

  env.test('Stop interrupts the reply and keeps what streamed; Retry sends again', { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '1000' });
    await page.fill(part('input'), 'Tell me a long story.');
    await page.press('Enter');
    await until(page, 'three tokens of the reply', () => window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length >= 3);
    await page.click(part('stop'));
    await waitForHistory(page, 2);
    const [, reply] = await history(page);
    assert.equal(reply.interrupted, true);
    assert.ok(reply.content.length > 0, 'the partial reply stays');
    assert.match((await page.texts(part('message')))[1], /Stopped/);
    assert.equal(await disabled(page, 'send'), false);
    assert.equal(await disabled(page, 'stop'), true);
    assert.equal((await events(page, 'tabwise-message')).at(-1)!.interrupted, true, 'tabwise-message reports the stopped reply');

    await page.evaluate(() => document.querySelector('tabwise-chatbot')!.setAttribute('max-new-tokens', '6'));
    await page.click(part('retry'));
    await until(page, 'the retried reply', () => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      return !chatbot.generating && window.tabwiseEvents.filter((e) => e.type === 'tabwise-message').length >= 4;
    });
    const retried = await history(page);
    assert.equal(retried.at(-2)!.content, 'Tell me a long story.');
    assert.equal(retried.at(-1)!.role, 'assistant');
    assert.notEqual(retried.at(-1)!.interrupted, true);
    assert.deepEqual(await page.errors(), []);
  });

  env.test('Clear empties the history, and the next reply does not see the old turns', { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context);
    const stats = () => page.evaluate(() => document.querySelector('tabwise-chatbot')!.stats!);
    const say = async (text: string, length: number) => {
      await page.fill(part('input'), text);
      await page.click(part('send'));
      await waitForHistory(page, length);
    };

    await say('Hello there, my name is Ada.', 2);
    const first = { reply: (await history(page))[1].content, context: (await stats()).contextTokens };
    await say('What is my name?', 4);
    assert.ok((await stats()).contextTokens > first.context, 'a second turn sees the first');

    await page.click(part('clear'));
    await until(page, 'the history to be cleared', () => document.querySelector('tabwise-chatbot')!.history.length === 0);
    assert.equal((await page.texts(part('message'))).length, 0, 'no message is shown');
    assert.equal(await disabled(page, 'clear'), true);

    await say('Hello there, my name is Ada.', 2);
    assert.equal((await stats()).contextTokens, first.context, 'the context holds only the new message');
    assert.equal((await history(page))[1].content, first.reply, 'so the (greedy) reply is the first one again');
    assert.deepEqual(await page.errors(), []);
  });

  env.test('two pages: separate chat histories, one shared scoreboard that loses no concurrent submission', { timeout }, async () => {
    const context = await newContext();
    const [a, b] = [await context.newPage(env.url('/tests/pages/elements/drop-in.html')), await context.newPage(env.url('/tests/pages/elements/drop-in.html'))];
    await Promise.all([waitForReady(a), waitForReady(b)]);

    await a.fill(part('input'), 'I am the first tab.');
    await a.press('Enter');
    await b.fill(part('input'), 'I am the second tab.');
    await b.press('Enter');
    await Promise.all([waitForHistory(a, 2), waitForHistory(b, 2)]);
    assert.equal((await history(a))[0].content, 'I am the first tab.');
    assert.equal((await history(b))[0].content, 'I am the second tab.');
    assert.ok(!(await a.texts(part('message'))).some((text) => text.includes('I am the second tab.')));
    assert.ok(!(await b.texts(part('message'))).some((text) => text.includes('I am the first tab.')));

    // A score typed in one tab shows up in the other.
    await a.fill(part('input', 'tabwise-scoreboard'), '42');
    await a.click(part('submit', 'tabwise-scoreboard'));
    await until(b, "the other tab's board to show 42", () => document.querySelector('tabwise-scoreboard')!.topScores[0] === 42);
    assert.match((await b.texts(part('list', 'tabwise-scoreboard')))[0], /42/);

    // Twenty submissions at once from both tabs: compare-and-set keeps every one.
    const burst = (page: TestPage, base: number) =>
      page.evaluate((base) => {
        const board = document.querySelector('tabwise-scoreboard')!;
        return Promise.all(Array.from({ length: 10 }, (_, i) => board.submit(base + i)));
      }, base);
    await Promise.all([burst(a, 100), burst(b, 200)]);
    for (const page of [a, b]) await until(page, 'all 21 scores', () => document.querySelector('tabwise-scoreboard')!.all.length === 21);
    const [allA, allB] = await Promise.all([a, b].map((page) => page.evaluate(() => document.querySelector('tabwise-scoreboard')!.all)));
    assert.deepEqual([...allA].sort((x, y) => x - y), [42, ...Array.from({ length: 10 }, (_, i) => 100 + i), ...Array.from({ length: 10 }, (_, i) => 200 + i)]);
    assert.deepEqual(allB, allA);
    assert.deepEqual(await shown(a, part('value', 'tabwise-scoreboard')), ['209', '208', '207']);
    assert.deepEqual(await shown(b, part('value', 'tabwise-scoreboard')), ['209', '208', '207']);
    await screenshot(b, 'scoreboard-shared');
    assert.deepEqual([...(await a.errors()), ...(await b.errors())], []);
  });

  env.test('an XSS payload and markdown are shown as text, and no script runs', { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '4' });
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '**bold** _italic_ [link](javascript:alert(2)) `code` <script>alert(3)</script>\n# heading',
    ];
    for (const [i, text] of payloads.entries()) {
      await page.fill(part('input'), text);
      await page.press('Enter');
      await waitForHistory(page, 2 * (i + 1));
    }
    await payloadHandlersSettled(page);
    const rendered = await page.evaluate(() => {
      const root = document.querySelector('tabwise-chatbot')!.shadowRoot!;
      return {
        bubbles: [...root.querySelectorAll('[part~="bubble"]')].map((bubble) => bubble.textContent),
        injected: root.querySelectorAll('[part~="log"] :is(img, script, a, strong, em, code, h1, iframe)').length,
        lightImages: document.querySelectorAll('img').length,
      };
    });
    const messages = await history(page);
    assert.equal(rendered.bubbles[0], payloads[0], 'the payload is shown literally');
    assert.equal(rendered.bubbles[2], payloads[1], 'markdown is not rendered');
    assert.equal(rendered.bubbles[1], messages[1].content || '(no reply)', 'model output is shown as its text');
    assert.equal(rendered.injected, 0, 'no element was created from the text');
    assert.equal(rendered.lightImages, 0);
    assert.deepEqual(await page.dialogs(), [], 'no alert fired');
    assert.deepEqual(await page.errors(), []);
  });

  env.test('keyboard only: Tab to the box, Shift+Enter for a new line, Enter sends, Esc stops, Tab to Clear', { timeout }, async () => {
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
      await page.press('Tab');
      order.push(await focused());
    }
    assert.equal(await focused(), 'input', `Tab reaches the message box (went through: ${order.join(' → ')})`);

    await page.typeText('First line');
    await page.press('Shift+Enter');
    await page.typeText('second line');
    assert.equal((await control(page, 'input'))!.value, 'First line\nsecond line');
    assert.equal((await history(page)).length, 0, 'Shift+Enter did not send');

    await page.press('Enter');
    await until(page, 'three tokens of the reply', () => window.tabwiseEvents.filter((e) => e.type === 'tabwise-token').length >= 3);
    await page.press('Escape');
    await waitForHistory(page, 2);
    const [sent, reply] = await history(page);
    assert.equal(sent.content, 'First line\nsecond line');
    assert.equal(reply.interrupted, true, 'Esc stopped the reply');
    assert.equal(await focused(), 'input', 'focus stays in the message box');

    // Stop is disabled now, so Tab goes Retry → Clear.
    await page.press('Tab');
    assert.equal(await focused(), 'retry');
    await page.press('Tab');
    assert.equal(await focused(), 'clear');
    await page.press('Enter');
    await until(page, 'the history to be cleared', () => document.querySelector('tabwise-chatbot')!.history.length === 0);
    assert.equal(await focused(), 'input', 'focus returns to the message box after Clear');

    // Every control has an accessible name (Playwright's role queries compute it; other drivers have none).
    for (const name of ['Message', 'Send', 'Stop', 'Retry', 'Clear']) {
      const role = name === 'Message' ? 'textbox' : 'button';
      if (page.playwright) assert.equal(await page.playwright.getByRole(role, { name, exact: true }).count(), 1, name);
    }
    assert.deepEqual(await page.errors(), []);
  });

  env.test('invalid attributes: shown inline, reported as tabwise-error, and the last valid value stays in use', { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { 'max-new-tokens': '-3', 'top-p': '2' });
    const errors = () => shown(page, part('error'));
    const first = await errors();
    assert.equal(first.length, 2, first.join('\n'));
    assert.match(first[0], /max-new-tokens="-3".*maxNewTokens must be an integer in \[1, 1024\], got -3.*Using 64/);
    assert.match(first[1], /top-p="2".*topP must be in \(0, 1\].*Using 1/);
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
    await until(page, 'no error shown', () => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('[part~="error"]').length === 0);
    await setAttribute('max-new-tokens', 'lots');
    await setAttribute('device', 'cuda');
    await until(page, 'two errors shown', () => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('[part~="error"]').length === 2);
    assert.match((await errors()).join('\n'), /max-new-tokens="lots".*Using 5[\s\S]*device="cuda": device must be one of auto, webgpu, wasm/);

    await page.fill(part('input'), 'Still working?');
    await page.press('Enter');
    await waitForHistory(page, 2);
    await screenshot(page, 'chatbot-invalid-attributes');
    const stats = await page.evaluate(() => document.querySelector('tabwise-chatbot')!.stats!);
    assert.ok(stats.newTokens >= 1 && stats.newTokens <= 5, `the reply used max-new-tokens 5 (${stats.newTokens} tokens)`);
    assert.equal(await page.evaluate(() => document.querySelector('tabwise-chatbot')!.activeDevice), 'wasm', 'the model was not reloaded');
    assert.deepEqual(await page.errors(), []);
  });

  env.test('a model that fails to load shows the error and a Try again button that works', { timeout }, async () => {
    flakyRequests = 0;
    const context = await newContext();
    const page = await chatbotPage(context, { model: '/models/flaky/' }, { ready: false });
    await page.waitForSelector(part('load-error'), { what: 'the load error panel', timeoutMs: 120_000 });
    assert.match((await page.texts(part('load-error')))[0], /could not be loaded[\s\S]*ModelLoadError[\s\S]*config\.json/);
    assert.match((await shown(page, part('badge')))[0], /Not loaded/);
    const [failure] = await events(page, 'tabwise-error');
    assert.deepEqual([failure.source, failure.name], ['load', 'ModelLoadError']);
    assert.equal(await disabled(page, 'send'), true);
    await screenshot(page, 'chatbot-load-error');

    // Keyboard only: the first Tab stop is the Try again button.
    await page.press('Tab');
    await page.press('Enter');
    await waitForReady(page);
    assert.equal((await page.texts(part('load-error'))).length, 0);
    await page.fill(part('input'), 'Hello after the retry');
    await page.press('Enter');
    await waitForHistory(page, 2);
    assert.deepEqual(await page.errors(), []);
  });

  env.test('while loading: a progress bar with the file, MB loaded of total, and percent; then the device badge', { timeout }, async () => {
    const context = await newContext();
    const page = await chatbotPage(context, { model: '/models/slow/' }, { ready: false });
    await until(page, 'the progress bar between 20 and 80 %', () => {
      const bar = document.querySelector('tabwise-chatbot')?.shadowRoot?.querySelector('progress');
      return bar?.getAttribute('aria-label') === 'Downloading onnx/model.onnx' && bar.value >= 20 && bar.value <= 80;
    });
    const text = (await page.texts(part('progress')))[0];
    assert.match(text, /onnx\/model\.onnx/);
    assert.match(text, /\d+(\.\d)? MB \/ \d+(\.\d)? MB/);
    assert.match(text, /\b\d{1,2}%/);
    assert.match((await shown(page, part('badge')))[0], /Loading/);
    await screenshot(page, 'chatbot-loading');

    releaseSlowModel();
    await waitForReady(page);
    assert.equal((await page.texts(part('progress'))).length, 0);
    assert.match((await shown(page, part('badge')))[0], /WASM · fp32/);
    assert.deepEqual(await page.errors(), []);
  });

  env.test('scoreboard: a bad top is refused inline, scores outside min..max are not stored, keyboard only', { timeout }, async () => {
    const context = await newContext();
    const page = await context.newPage(env.url('/tests/pages/elements/scoreboard.html'));
    const board = 'tabwise-scoreboard';
    await until(page, 'the board to be live', () => Boolean(document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on')));
    const errors = () => shown(page, part('error', board));
    assert.match((await errors()).join('\n'), /top="0": top must be an integer in \[1, 100\], got 0\. Showing 3\./);
    assert.equal((await page.texts(part('score', board))).length, 3);
    assert.deepEqual(
      (await events(page, 'tabwise-error')).map((e) => [e.source, e.attribute]),
      [['attribute', 'top']],
    );

    await page.press('Tab');
    await page.typeText('11');
    await page.press('Enter');
    await until(page, 'the range refusal', () => document.querySelector('tabwise-scoreboard')!.shadowRoot!.textContent!.includes('Enter a number from 0 to 10.'));
    await page.press('Control+A');
    await page.typeText('7');
    await page.press('Enter');
    await until(page, 'one stored score', () => document.querySelector('tabwise-scoreboard')!.all.length === 1);
    assert.deepEqual(await page.evaluate(() => document.querySelector('tabwise-scoreboard')!.all), [7], '11 was not stored');
    assert.deepEqual(await shown(page, part('value', board)), ['7', 'No score yet', 'No score yet']);
    await page.press('Enter');
    await until(page, 'the empty refusal', () => document.querySelector('tabwise-scoreboard')!.shadowRoot!.textContent!.includes('Enter a number to submit.'));
    assert.deepEqual(
      (await events(page, 'tabwise-error')).map((e) => e.source),
      ['attribute', 'input', 'input'],
    );

    await page.evaluate(() => document.querySelector('tabwise-scoreboard')!.setAttribute('top', '5'));
    await until(page, 'five rows', () => document.querySelector('tabwise-scoreboard')!.shadowRoot!.querySelectorAll('[part~="score"]').length === 5);
    assert.doesNotMatch((await errors()).join('\n'), /top=/);
    await screenshot(page, 'scoreboard-keyboard');
    assert.deepEqual(await page.errors(), []);
  });

  env.test("removing top, key or label brings back its default; so does removing the chatbot's label", { timeout }, async () => {
    const context = await newContext();
    const page = await context.newPage(env.url('/tests/pages/elements/scoreboard.html'));
    const board = 'tabwise-scoreboard';
    await until(page, 'the board to be live', () => Boolean(document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on')));
    assert.match((await shown(page, part('error', board))).join('\n'), /top="0"/);
    await page.evaluate(() => {
      const element = document.querySelector('tabwise-scoreboard')!;
      for (const name of ['top', 'key', 'label']) element.removeAttribute(name);
    });
    await until(page, 'three rows', () => document.querySelector('tabwise-scoreboard')!.shadowRoot!.querySelectorAll('[part~="score"]').length === 3);
    assert.deepEqual(await shown(page, part('error', board)), [], 'the refusal of top="0" went with the attribute');
    assert.equal((await shown(page, part('title', board)))[0], 'Top scores');
    assert.deepEqual(await page.evaluate(() => { const { key, top, label } = document.querySelector('tabwise-scoreboard')!; return { key, top, label }; }), { key: 'scores', top: 3, label: 'Top scores' });
    await until(page, 'the board to be live again', () => Boolean(document.querySelector('tabwise-scoreboard')?.shadowRoot?.querySelector('.live.on')));

    const chatbot = await chatbotPage(context, { label: 'Helper' }, { ready: false });
    await until(chatbot, 'the title Helper', () => document.querySelector('tabwise-chatbot')?.shadowRoot?.querySelector('[part~="title"]')?.textContent === 'Helper');
    await chatbot.evaluate(() => document.querySelector('tabwise-chatbot')!.removeAttribute('label'));
    await until(chatbot, 'the default title', () => document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="title"]')!.textContent === 'DialoGPT');
    assert.deepEqual(await page.errors(), []);
    assert.deepEqual(await chatbot.errors(), []);
  });
});
