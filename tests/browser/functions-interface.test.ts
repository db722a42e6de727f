// <tabwise-interface> in every engine: draws a form for a served function, round-trips a
// number → json call with session state, and shows what a function throws.
import assert from 'node:assert/strict';
import { browserSuite, type TestPage } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';

declare global {
  interface Window {
    fired: [string, string][];
  }
}

browserSuite('functions-interface', {}, (env) => {
  const timeout = 120_000; // a hang guard, several times an idle run: a loaded 2-core box is that much slower
  const waitMs = 120_000; // a hang guard for each wait below

  async function interfacePage(): Promise<TestPage> {
    return (await env.newContext()).newPage(env.url('/tests/pages/functions/interface.html'));
  }

  /** Waits until the Submit of `scope` is enabled: its worker is connected. */
  const ready = (page: TestPage, scope: string) =>
    page.waitForSelector(`${scope} button[type="submit"]:not([disabled])`, { what: `${scope}'s Submit to be enabled`, timeoutMs: waitMs });

  /** Waits for an element matching `selector` whose text contains `text` (Playwright's hasText); resolves to the texts. */
  const shown = (page: TestPage, selector: string, text: string) =>
    waitFor(`${selector} to show "${text}"`, () => page.texts(selector), (texts) => texts.some((t) => t.includes(text)), waitMs);

  env.test('<tabwise-interface> renders a number → json form and keeps the state between calls', { timeout }, async () => {
    const page = await interfacePage();
    await ready(page, '#tally');
    assert.equal((await page.texts('#tally input[type="number"]')).length, 1, 'one field: the state is not drawn');
    assert.deepEqual(await page.texts('#tally label'), ['n']);

    for (const n of ['5', '2.5']) {
      await page.fill('#tally input', n);
      await page.click('#tally button[type="submit"]');
      await shown(page, '#tally pre.json', `"added": ${n}`);
    }
    const outputs = await page.texts('#tally pre.json');
    assert.equal(outputs.length, 1);
    assert.deepEqual(JSON.parse(outputs[0]), { added: 2.5, total: 7.5 });
    assert.deepEqual(await page.evaluate(() => (document.querySelector('#tally') as unknown as { value: unknown }).value), [{ added: 2.5, total: 7.5 }]);

    // A value the form refuses never reaches the worker.
    await page.fill('#tally input', '');
    await page.click('#tally button[type="submit"]');
    await shown(page, '#tally [part="error"]', 'Enter a number.');
    assert.deepEqual(JSON.parse((await page.texts('#tally pre.json'))[0]), { added: 2.5, total: 7.5 }, 'the last result stays');
    assert.deepEqual(await page.errors(), []);
  });

  env.test('<tabwise-interface> shows a thrown error and fires tabwise-error; an unknown fn lists the served names', { timeout }, async () => {
    const page = await interfacePage();
    await ready(page, '#boom');
    await page.evaluate(() => {
      window.fired = [];
      document.querySelector('#boom')!.addEventListener('tabwise-error', (event) => window.fired.push([(event as any).source, (event as any).error.name])); // eslint-disable-line @typescript-eslint/no-explicit-any
    });
    await page.fill('#boom input', '4');
    await page.click('#boom button[type="submit"]');
    await shown(page, '#boom [part="error"]', 'OutOfCheeseError: out of cheese at 4');
    const fired = await page.waitForFunction(() => (window.fired.length > 0 ? window.fired : undefined), undefined, { what: 'a tabwise-error event from #boom' });
    assert.deepEqual(fired?.[0], ['send', 'OutOfCheeseError']);
    await shown(page, '#missing [part="error"]', 'fn="nope": the worker serves no such function (it serves "remember"');
    assert.deepEqual(await page.errors(), []);
  });
});
