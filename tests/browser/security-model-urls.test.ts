// Model URLs written in a <tabwise-chatbot>'s `model` attribute are fetched only over https or from
// the page's own origin. Other schemes, and plain http to another host, are refused before any
// request or worker starts, with UnsafeModelUrlError shown by the element.
import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';
import { chatbotPart, reliabilityUrl, unhandled, waitForChatbotReady, watchedContext, watchedPage } from './reliability-support.ts';

declare global {
  interface Window {
    urlEvents: { source: string; name: string; message: string }[];
  }
}

/** Paths the test server was asked for, in order (every engine's requests to this origin). */
const served: string[] = [];
const recordRequest = (req: { url?: string }) => (served.push(new URL(req.url ?? '/', 'http://x').pathname), false);

browserSuite('security-model-urls', { server: { intercept: recordRequest } }, (env) => {
  const unsafe: [string, RegExp][] = [
    ['javascript:alert(1)', /javascript:/],
    ['data:application/json,{"model_type":"gpt2"}', /data:/],
    ['file:///etc/passwd', /file:/],
    ['http://example.com/x', /http:\/\/example\.com/],
    ['//example.com/x', /http:\/\/example\.com/], // protocol-relative: http here
    ['\\\\example.com\\x', /http:\/\/example\.com/], // backslashes are slashes in http URLs
    ['http://127.0.0.1:1@example.com/', /http:\/\/example\.com/], // credentials, not the host
  ];



  env.test('unsafe model URLs in the attribute: UnsafeModelUrlError shown, no request, no worker', { timeout: 180_000 }, async () => {
    served.length = 0;
    const context = await watchedContext(env);
    // Chromium also shows requests to other origins (Playwright's request events); elsewhere the server's log has this origin's.
    const requests: string[] = [];
    context.playwright?.on('request', (request) => requests.push(request.url()));
    const [first] = unsafe[0];
    const page = await watchedPage(context, reliabilityUrl(env.server.url, { chatbot: { model: first, device: 'wasm', dtype: 'fp32' } }));
    await page.evaluate(() => {
      window.urlEvents = [];
      document.querySelector('tabwise-chatbot')!.addEventListener('tabwise-error', (event) => {
        const e = event as Event & { source: string; error: Error };
        window.urlEvents.push({ source: e.source, name: e.error.name, message: e.error.message });
      });
    });
    const loadError = async () => (await page.texts(chatbotPart('load-error'))).join(' ').replace(/\s+/g, ' ');

    for (const [i, [model, scheme]] of unsafe.entries()) {
      // The first comes with the page (the element's first load); the others replace it at run time.
      if (i > 0) {
        await page.evaluate((model) => document.querySelector('tabwise-chatbot')!.setAttribute('model', model), model);
        await page.waitForFunction((i) => window.urlEvents.length >= i, i, { what: `tabwise-error number ${i}`, timeoutMs: 60_000 });
      } else {
        await page.waitForSelector(chatbotPart('load-error'), { what: "the chatbot's load error", timeoutMs: 60_000 });
      }
      const text = await loadError();
      assert.match(text, /The model could not be loaded\. UnsafeModelUrlError: refusing to load a model from .*only https or same-origin URLs are allowed/, model);
      assert.match(text, scheme, `${model}: the message names what was refused`);
      assert.match((await page.texts(chatbotPart('badge'))).join(' '), /Not loaded/);
    }
    const events = await page.evaluate(() => window.urlEvents);
    assert.equal(events.length, unsafe.length - 1, 'a tabwise-error for each model set after the listener');
    assert.ok(events.every((e) => e.source === 'load' && e.name === 'UnsafeModelUrlError'), JSON.stringify(events));

    // Nothing was fetched but the page itself, and no engine worker started.
    const pageFiles = ['/tests/pages/reliability/index.html', '/tests/pages/reliability/page.js', '/dist/tabwise.js', '/favicon.svg'];
    assert.deepEqual(served.filter((path) => !pageFiles.includes(path)), [], 'no request for a model file or a worker script');
    const unexpected = requests.filter((url) => !url.startsWith(env.server.url) || !pageFiles.includes(new URL(url).pathname));
    assert.deepEqual(unexpected, [], 'no request to another origin');
    assert.deepEqual(page.playwright?.workers().map((worker) => worker.url()) ?? [], [], 'no engine worker');
    assert.deepEqual(await page.dialogs(), []);

    // A safe model afterwards loads as usual.
    await page.evaluate(() => document.querySelector('tabwise-chatbot')!.setAttribute('model', '/models/tiny/'));
    await waitForChatbotReady(page);
    assert.ok(served.includes('/models/tiny/config.json'), 'the same-origin model is fetched');
    assert.deepEqual(await unhandled(page), []);
    await context.close();
  });
});
