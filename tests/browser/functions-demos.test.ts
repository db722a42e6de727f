// Demos 04 and 05 in every engine: the seed's two examples written as served functions.
import assert from 'node:assert/strict';
import { browserSuite, type TestPage } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';

browserSuite('functions-demos', {}, (env) => {
  const element = 'tabwise-interface';

  /** Waits for the element's worker, types `value` into its input and clicks Submit. */
  async function submit(page: TestPage, value: string, timeoutMs = 120_000): Promise<void> {
    // A hang guard: two tabs load the worker at once.
    await page.waitForSelector(`${element} button[type="submit"]:not([disabled])`, { what: `${element}'s Submit to be enabled`, timeoutMs });
    await page.fill(`${element} [part="input"]`, value);
    await page.click(`${element} button[type="submit"]`);
  }

  /** Waits until some element matching `selector` has `text` in it (Playwright's hasText). */
  const shown = (page: TestPage, selector: string, text: string, timeoutMs = 120_000) =>
    waitFor(`${selector} to show "${text}"`, () => page.texts(selector), (texts) => texts.some((t) => t.includes(text)), timeoutMs);

  /** Waits until at least `count` elements match `selector`; resolves to their texts. */
  const atLeast = (page: TestPage, selector: string, count: number, timeoutMs = 120_000) =>
    waitFor(`${count} elements matching ${selector}`, () => page.texts(selector), (texts) => texts.length >= count, timeoutMs);

  env.test('04 score tracker: every tab appends to one list; each call returns the top 3', { timeout: 240_000 }, async () => {
    const context = await env.newContext();
    const [a, b] = await Promise.all([context.newPage(env.url('/04-score-tracker/')), context.newPage(env.url('/04-score-tracker/'))]);
    for (const score of ['3', '9']) {
      await submit(a, score);
      await shown(a, `${element} pre.json`, score);
    }
    await submit(b, '5');
    await shown(b, `${element} pre.json`, '5');
    const outputs = await b.texts(`${element} pre.json`);
    assert.equal(outputs.length, 1);
    assert.deepEqual(JSON.parse(outputs[0]), [9, 5, 3]);
    await shown(a, 'tabwise-scoreboard [part~="value"]', '5');
    assert.deepEqual([...(await a.errors()), ...(await b.errors())], []);
  });

  env.test('05 stateful chatbot: DialoGPT as a user function, history as session state, fresh after a reload', { timeout: 180_000 }, async () => {
    const context = await env.newContext();
    const url = env.url('/05-stateful-chatbot/?device=wasm&dtype=fp32');
    const page = await context.newPage(url);
    await submit(page, 'Hello there!');
    await atLeast(page, `${element} [part~="assistant"]`, 1); // the first reply waits for the model to load
    await submit(page, 'How are you?');
    await atLeast(page, `${element} [part~="assistant"]`, 2);
    const parts = await page.evaluate((element) => [...document.querySelector(element)!.shadowRoot!.querySelectorAll('[part~="message"]')].map((item) => item.getAttribute('part')), element);
    assert.deepEqual(parts, ['message user', 'message assistant', 'message user', 'message assistant']);
    assert.equal((await page.texts(`${element} [part~="user"]`))[0], 'Hello there!');

    await page.goto(url); // a reload: the same page, in the same tab
    await page.waitForSelector(`${element} button[type="submit"]:not([disabled])`, { what: `${element}'s Submit to be enabled after the reload`, timeoutMs: 120_000 });
    assert.equal((await page.texts(`${element} [part~="message"]`)).length, 0, 'a reload starts a new history');
    assert.deepEqual(await page.errors(), []);
  });
});
