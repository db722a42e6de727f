// <tabwise-interface> in real Chromium: draws a form for a served function, round-trips a
// number → json call with session state, and shows what a function throws.
import assert from 'node:assert/strict';
import { browserSuite, openPage } from '../support/browser.ts';

browserSuite('functions-interface', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  const timeout = 120_000; // a hang guard, several times an idle run: a loaded 2-core box is that much slower

  env.test('<tabwise-interface> renders a number → json form and keeps the state between calls', { timeout }, async () => {
    const context = await env.chromium.newContext();
    const page = await openPage(context, `${env.server.url}/tests/pages/functions/interface.html`);
    const tally = page.locator('#tally');
    await tally.locator('button[type="submit"]:not([disabled])').waitFor();
    assert.equal(await tally.locator('input[type="number"]').count(), 1, 'one field: the state is not drawn');
    assert.equal(await tally.locator('label').textContent(), 'n');

    for (const n of ['5', '2.5']) {
      await tally.locator('input').fill(n);
      await tally.locator('button[type="submit"]').click();
      await tally.locator('pre.json', { hasText: `"added": ${n}` }).waitFor();
    }
    assert.deepEqual(JSON.parse((await tally.locator('pre.json').textContent())!), { added: 2.5, total: 7.5 });
    assert.deepEqual(await page.evaluate(() => (document.querySelector('#tally') as unknown as { value: unknown }).value), [{ added: 2.5, total: 7.5 }]);

    // A value the form refuses never reaches the worker.
    await tally.locator('input').fill('');
    await tally.locator('button[type="submit"]').click();
    await tally.locator('[part="error"]', { hasText: 'Enter a number.' }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  env.test('<tabwise-interface> shows a thrown error and fires tabwise-error; an unknown fn lists the served names', { timeout }, async () => {
    const context = await env.chromium.newContext();
    const page = await openPage(context, `${env.server.url}/tests/pages/functions/interface.html`);
    const boom = page.locator('#boom');
    await boom.locator('button[type="submit"]:not([disabled])').waitFor();
    const fired = page.evaluate(
      () => new Promise((resolve) => document.querySelector('#boom')!.addEventListener('tabwise-error', (event) => resolve([(event as any).source, (event as any).error.name]))),
    );
    await boom.locator('input').fill('4');
    await boom.locator('button[type="submit"]').click();
    await boom.locator('[part="error"]', { hasText: 'OutOfCheeseError: out of cheese at 4' }).waitFor();
    assert.deepEqual(await fired, ['send', 'OutOfCheeseError']);
    await page.locator('#missing [part="error"]', { hasText: 'fn="nope": the worker serves no such function (it serves "remember"' }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
