// The demos served by `npm start`, in every engine: each one works offline on the generated model,
// and a screenshot of each is saved under test-artifacts/<engine>-demo-*.png for a person to look at.
// Each page's context is closed before the next one opens (WebKit runs one WebDriver session at a time).
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { browserSuite, type TestPage } from '../support/browser.ts';

browserSuite('elements-demos', {}, (env) => {
  const artifacts = 'test-artifacts';
  before(() => {
    mkdirSync(artifacts, { recursive: true });
  });

  /** A demo page in a fresh context of its own, once the color scheme it asked for is the page's. */
  async function demoPage(path: string, options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}) {
    const colorScheme = options.colorScheme ?? 'light';
    const context = await env.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme });
    const page = await context.newPage(env.url(path));
    const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
    assert.equal(dark, colorScheme === 'dark', `the page prefers the ${colorScheme} color scheme`);
    return { page, context };
  }

  /** Uncaught errors of the page, then its context closed (so the next one may open in WebKit). */
  async function finish({ page, context }: { page: TestPage; context: { close(): Promise<void> } }): Promise<string[]> {
    const errors = await page.errors();
    await context.close();
    return errors;
  }

  const input = (scope: string) => `${scope} [part~="input"]`;

  async function chat(page: TestPage, text: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, undefined, { what: 'the demo chatbot to load its model', timeoutMs: 60_000 });
    await page.fill(input('tabwise-chatbot'), text);
    await page.press('Enter');
    await page.waitForFunction(
      () => {
        const chatbot = document.querySelector('tabwise-chatbot')!;
        return !chatbot.generating && chatbot.history.length === 2;
      },
      undefined,
      { what: 'the demo chatbot to answer (two messages, nothing generating)', timeoutMs: 180_000 },
    );
  }

  /** Submits each score on the first scoreboard, by typing it and pressing Enter. */
  async function submitScores(page: TestPage, scores: number[]): Promise<void> {
    for (const score of scores) {
      await page.fill(input('tabwise-scoreboard'), String(score));
      await page.press('Enter');
    }
    await page.waitForFunction(
      ({ count }) => document.querySelector('tabwise-scoreboard')!.all.length >= count,
      { count: scores.length },
      { what: `the scoreboard to hold ${scores.length} scores`, timeoutMs: 180_000 },
    );
  }

  /** innerText of the elements matching `part` inside the `index`th element matching `host`. */
  const partTexts = (page: TestPage, host: string, index: number, part: string) =>
    page.evaluate(
      ({ host, index, part }) => [...document.querySelectorAll(host)[index]!.shadowRoot!.querySelectorAll<HTMLElement>(part)].map((element) => element.innerText),
      { host, index, part },
    );

  const shot = async (page: TestPage, name: string) => writeFileSync(`${artifacts}/${env.engine}-${name}.png`, await page.screenshot());

  env.test('the index links every demo and the benchmark page', async () => {
    const light = await demoPage('/');
    const links = await light.page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['/01-chatbot/', '/02-scoreboard/', '/03-chat-and-scores/', '/04-score-tracker/', '/05-stateful-chatbot/', '/benchmarks/']);
    await shot(light.page, 'demo-index');
    for (const href of links.slice(0, 3)) {
      const response = await fetch(env.url(href!));
      assert.equal(response.status, 200, href!);
    }
    const errors = await finish(light);
    const dark = await demoPage('/', { colorScheme: 'dark' });
    await shot(dark.page, 'demo-index-dark');
    assert.deepEqual([...errors, ...(await finish(dark))], []);
  });

  env.test('01 chatbot: chats offline on the generated model, shows its events, offers the Hub models', { timeout: 600_000 }, async () => {
    const desktop = await demoPage('/01-chatbot/?device=wasm');
    const { page } = desktop;
    await chat(page, 'Hello! What are you up to today?');
    const events = await page.evaluate(() => document.querySelector<HTMLElement>('#events')!.innerText);
    assert.match(events, /ready\s+wasm/);
    assert.match(events, /message\s+assistant:/);
    const models = await page.evaluate(() => [...document.querySelectorAll<HTMLOptionElement>('#model option')].map((o) => o.value));
    assert.ok(models.includes('onnx-community/DialoGPT-small-ONNX') && models.includes('onnx-community/DialoGPT-medium-ONNX'), models.join());
    assert.equal(await page.evaluate(() => document.querySelector('tabwise-chatbot')!.getAttribute('device')), 'wasm', 'the URL chose the device');
    await shot(page, 'demo-01-chatbot');
    const errors = await finish(desktop);

    const phone = await demoPage('/01-chatbot/?device=wasm', { width: 390, height: 844 });
    await chat(phone.page, 'Hi there, phone!');
    await shot(phone.page, 'demo-01-chatbot-mobile');
    assert.deepEqual([...errors, ...(await finish(phone))], []);
  });

  env.test('02 scoreboard: a score lands on its own board; the persisted board is a different key', { timeout: 300_000 }, async () => {
    const demo = await demoPage('/02-scoreboard/');
    const { page } = demo;
    await submitScores(page, [7, 9.5, 3, 8]);
    assert.deepEqual(await partTexts(page, 'tabwise-scoreboard', 0, '[part~="value"]'), ['9.5', '8', '7']);
    assert.equal((await partTexts(page, 'tabwise-scoreboard', 1, 'li[part~="score"]:not([part~="empty"])')).length, 0);
    await shot(page, 'demo-02-scoreboard');
    assert.deepEqual(await finish(demo), []);
  });

  env.test('03 chat and scores: both on one page, light and dark', { timeout: 600_000 }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const demo = await demoPage('/03-chat-and-scores/?device=wasm', { colorScheme });
      const { page } = demo;
      await chat(page, 'Hello! What are you up to today?');
      await submitScores(page, [8, 6, 9]);
      assert.match((await partTexts(page, 'tabwise-scoreboard', 0, '[part~="list"]')).join('\n'), /9[\s\S]*8[\s\S]*6/);
      await shot(page, `demo-03-chat-and-scores${colorScheme === 'dark' ? '-dark' : ''}`);
      assert.deepEqual(await finish(demo), [], colorScheme);
    }
  });
});
