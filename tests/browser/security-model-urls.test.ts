// Model URLs written in a <tabwise-chatbot>'s `model` attribute are fetched only over https or from
// the page's own origin. Other schemes, and plain http to another host, are refused before any
// request or worker starts, with UnsafeModelUrlError shown by the element.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { browserSuite } from '../support/browser.ts';
import { chatbotPart, reliabilityUrl, unhandled, waitForChatbotReady, watchedContext, watchedPage } from './reliability-support.ts';

declare global {
  interface Window {
    urlEvents: { source: string; name: string; message: string }[];
  }
}

browserSuite('security-model-urls', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  const unsafe: [string, RegExp][] = [
    ['javascript:alert(1)', /javascript:/],
    ['data:application/json,{"model_type":"gpt2"}', /data:/],
    ['file:///etc/passwd', /file:/],
    ['http://example.com/x', /http:\/\/example\.com/],
    ['//example.com/x', /http:\/\/example\.com/], // protocol-relative: http here
    ['\\\\example.com\\x', /http:\/\/example\.com/], // backslashes are slashes in http URLs
    ['http://127.0.0.1:1@example.com/', /http:\/\/example\.com/], // credentials, not the host
  ];



  env.test('unsafe model URLs in the attribute: UnsafeModelUrlError shown, no request, no worker', async () => {
    const context = await watchedContext(env.chromium);
    const requests: string[] = [];
    const record = (request: Request) => requests.push(request.url());
    context.on('request', record);
    const [first] = unsafe[0];
    const page = await watchedPage(context, reliabilityUrl(env.server.url, { chatbot: { model: first, device: 'wasm', dtype: 'fp32' } }));
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.evaluate(() => {
      window.urlEvents = [];
      document.querySelector('tabwise-chatbot')!.addEventListener('tabwise-error', (event) => {
        const e = event as Event & { source: string; error: Error };
        window.urlEvents.push({ source: e.source, name: e.error.name, message: e.error.message });
      });
    });
    const panel = page.locator(chatbotPart('load-error'));

    for (const [i, [model, scheme]] of unsafe.entries()) {
      // The first comes with the page (the element's first load); the others replace it at run time.
      if (i > 0) {
        await page.evaluate((model) => document.querySelector('tabwise-chatbot')!.setAttribute('model', model), model);
        await page.waitForFunction((i) => window.urlEvents.length >= i, i, { timeout: 60_000 });
      } else {
        await panel.waitFor({ timeout: 60_000 });
      }
      const text = (await panel.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /The model could not be loaded\. UnsafeModelUrlError: refusing to load a model from .*only https or same-origin URLs are allowed/, model);
      assert.match(text, scheme, `${model}: the message names what was refused`);
      assert.match(await page.locator(chatbotPart('badge')).innerText(), /Not loaded/);
    }
    const events = await page.evaluate(() => window.urlEvents);
    assert.equal(events.length, unsafe.length - 1, 'a tabwise-error for each model set after the listener');
    assert.ok(events.every((e) => e.source === 'load' && e.name === 'UnsafeModelUrlError'), JSON.stringify(events));

    // Nothing was fetched but the page itself, and no engine worker started.
    const pageFiles = ['/tests/pages/reliability/index.html', '/tests/pages/reliability/page.js', '/dist/tabwise.js', '/favicon.svg'];
    const unexpected = requests.filter((url) => !url.startsWith(env.server.url) || !pageFiles.includes(new URL(url).pathname));
    assert.deepEqual(unexpected, [], 'no request for a model file, nor to another origin');
    assert.deepEqual([...workers, ...page.workers().map((worker) => worker.url())], [], 'no engine worker');
    assert.deepEqual(page.dialogs, []);

    // A safe model afterwards loads as usual.
    await page.evaluate(() => document.querySelector('tabwise-chatbot')!.setAttribute('model', '/models/tiny/'));
    await waitForChatbotReady(page);
    assert.ok(requests.some((url) => url.endsWith('/models/tiny/config.json')), 'the same-origin model is fetched');
    assert.deepEqual(await unhandled(page), []);
    await context.close();
  });
});
