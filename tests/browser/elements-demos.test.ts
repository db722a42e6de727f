// The demos served by `npm start`, in real Chromium: each one works offline on the generated model,
// and a screenshot of each is saved under test-artifacts/ for a person to look at.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { browserSuite, openPage } from '../support/browser.ts';

browserSuite('elements-demos', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  const artifacts = 'test-artifacts';
  before(() => {
    mkdirSync(artifacts, { recursive: true });
  });

  async function demoPage(path: string, options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}) {
    const context = await env.chromium.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    return openPage(context, `${env.server.url}${path}`);
  }

  async function chat(page: Page, text: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, null, { timeout: 60_000 });
    await page.locator('tabwise-chatbot [part~="input"]').fill(text);
    await page.locator('tabwise-chatbot [part~="input"]').press('Enter');
    await page.waitForFunction(
      () => {
        const chatbot = document.querySelector('tabwise-chatbot')!;
        return !chatbot.generating && chatbot.history.length === 2;
      },
      null,
      { timeout: 180_000 },
    );
  }

  async function submitScores(page: Page, scores: number[], board = page.locator('tabwise-scoreboard').first()): Promise<void> {
    for (const score of scores) {
      await board.locator('[part~="input"]').fill(String(score));
      await board.locator('[part~="input"]').press('Enter');
    }
    await page.waitForFunction(
      ({ count }) => document.querySelector('tabwise-scoreboard')!.all.length >= count,
      { count: scores.length },
      { timeout: 180_000 },
    );
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });

  env.test('the index links every demo and the benchmark page', async () => {
    const page = await demoPage('/');
    const links = await page.locator('main a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['/01-chatbot/', '/02-scoreboard/', '/03-chat-and-scores/', '/04-score-tracker/', '/05-stateful-chatbot/', '/benchmarks/']);
    await shot(page, 'demo-index');
    for (const href of links.slice(0, 3)) {
      const response = await page.request.get(`${env.server.url}${href}`);
      assert.equal(response.status(), 200, href);
    }
    const dark = await demoPage('/', { colorScheme: 'dark' });
    await shot(dark, 'demo-index-dark');
    assert.deepEqual([...page.errors, ...dark.errors], []);
  });

  env.test('01 chatbot: chats offline on the generated model, shows its events, offers the Hub models', async () => {
    const page = await demoPage('/01-chatbot/?device=wasm');
    await chat(page, 'Hello! What are you up to today?');
    const events = await page.locator('#events').innerText();
    assert.match(events, /ready\s+wasm/);
    assert.match(events, /message\s+assistant:/);
    const models = await page.locator('#model option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(models.includes('onnx-community/DialoGPT-small-ONNX') && models.includes('onnx-community/DialoGPT-medium-ONNX'), models.join());
    assert.equal(await page.locator('tabwise-chatbot').getAttribute('device'), 'wasm', 'the URL chose the device');
    await shot(page, 'demo-01-chatbot');

    const phone = await demoPage('/01-chatbot/?device=wasm', { width: 390, height: 844 });
    await chat(phone, 'Hi there, phone!');
    await shot(phone, 'demo-01-chatbot-mobile');
    assert.deepEqual([...page.errors, ...phone.errors], []);
  });

  env.test('02 scoreboard: a score lands on its own board; the persisted board is a different key', async () => {
    const page = await demoPage('/02-scoreboard/');
    await submitScores(page, [7, 9.5, 3, 8]);
    const boards = page.locator('tabwise-scoreboard');
    assert.deepEqual(await boards.first().locator('[part~="value"]').allInnerTexts(), ['9.5', '8', '7']);
    assert.equal(await boards.nth(1).locator('li[part~="score"]:not([part~="empty"])').count(), 0);
    await shot(page, 'demo-02-scoreboard');
    assert.deepEqual(page.errors, []);
  });

  env.test('03 chat and scores: both on one page, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await demoPage('/03-chat-and-scores/?device=wasm', { colorScheme });
      await chat(page, 'Hello! What are you up to today?');
      await submitScores(page, [8, 6, 9]);
      assert.match(await page.locator('tabwise-scoreboard [part~="list"]').innerText(), /9[\s\S]*8[\s\S]*6/);
      await shot(page, `demo-03-chat-and-scores${colorScheme === 'dark' ? '-dark' : ''}`);
      assert.deepEqual(page.errors, []);
    }
  });
});
