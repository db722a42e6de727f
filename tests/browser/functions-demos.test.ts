// Demos 04 and 05 in real Chromium: the seed's two examples written as served functions.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { browserSuite, openPage } from '../support/browser.ts';

browserSuite('functions-demos', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  async function submit(element: Locator, value: string): Promise<void> {
    await element.locator('button[type="submit"]:not([disabled])').waitFor({ timeout: 120_000 }); // a hang guard: two tabs load the worker at once
    await element.locator('[part="input"]').fill(value);
    await element.locator('button[type="submit"]').click();
  }

  env.test('04 score tracker: every tab appends to one list; each call returns the top 3', { timeout: 240_000 }, async () => {
    const context = await env.chromium.newContext();
    const [a, b] = await Promise.all([openPage(context, `${env.server.url}/04-score-tracker/`), openPage(context, `${env.server.url}/04-score-tracker/`)]);
    const tracker = (page: typeof a) => page.locator('tabwise-interface');
    for (const score of ['3', '9']) {
      await submit(tracker(a), score);
      await tracker(a).locator('pre.json', { hasText: score }).waitFor();
    }
    await submit(tracker(b), '5');
    await tracker(b).locator('pre.json', { hasText: '5' }).waitFor();
    assert.deepEqual(JSON.parse((await tracker(b).locator('pre.json').textContent())!), [9, 5, 3]);
    await a.locator('tabwise-scoreboard [part~="value"]', { hasText: '5' }).waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await context.close();
  });

  env.test('05 stateful chatbot: DialoGPT as a user function, history as session state, fresh after a reload', { timeout: 180_000 }, async () => {
    const context = await env.chromium.newContext();
    const page = await openPage(context, `${env.server.url}/05-stateful-chatbot/?device=wasm&dtype=fp32`);
    const chat = page.locator('tabwise-interface');
    await submit(chat, 'Hello there!');
    await chat.locator('[part~="assistant"]').first().waitFor({ timeout: 45_000 });
    await submit(chat, 'How are you?');
    await chat.locator('[part~="assistant"]').nth(1).waitFor();
    const shown = await chat.locator('[part~="message"]').evaluateAll((items) => items.map((item) => item.getAttribute('part')));
    assert.deepEqual(shown, ['message user', 'message assistant', 'message user', 'message assistant']);
    assert.equal(await chat.locator('[part~="user"]').first().textContent(), 'Hello there!');

    await page.reload();
    await chat.locator('button[type="submit"]:not([disabled])').waitFor({ timeout: 60_000 });
    assert.equal(await chat.locator('[part~="message"]').count(), 0, 'a reload starts a new history');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
