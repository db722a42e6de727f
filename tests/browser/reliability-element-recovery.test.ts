// <tabwise-chatbot> when its engine worker dies mid-reply (a crash, an out-of-memory kill): the element
// says what happened, Retry and the next message both work, and the earlier turns stay in the
// model's context. (createChat() itself is covered by chat.test.ts.)
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSuite } from '../support/browser.ts';
import {
  chatbotPart,
  reliabilityUrl,
  shownErrors,
  unhandled,
  waitForChatbotHistory,
  waitForChatbotReady,
  watchedContext,
  watchedPage,
} from './reliability-support.ts';

declare global {
  interface Window {
    recoveryEvents: { type: string; source?: string; name?: string }[];
  }
}

browserSuite('reliability-element-recovery', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright (locators, dialogs, routing), not yet on the cross-engine page interface' }, (env) => {
  /**
   * Terminates the chatbot's engine worker at the first token of the next reply. The element keeps its
   * Chat to itself; a chat for the same model, revision, device and dtype in the same tab shares the
   * element's worker (one engine per model per tab), which is how a test reaches it.
   */
  function killWorkerAtNextToken(page: Page) {
    return page.evaluate(async () => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      const sameEngine = await window.tabwise.createChat({ model: '/models/tiny/', device: 'wasm', dtype: 'fp32' });
      chatbot.addEventListener('tabwise-token', () => sameEngine.worker.terminate(), { once: true });
    });
  }

  async function type(page: Page, text: string): Promise<void> {
    await page.locator(chatbotPart('input')).fill(text);
    await page.locator(chatbotPart('input')).press('Enter');
  }

  const setAttribute = (page: Page, name: string, value: string) =>
    page.evaluate(([name, value]) => document.querySelector('tabwise-chatbot')!.setAttribute(name, value), [name, value]);

  env.test('a killed engine worker: the chatbot shows what happened; Retry and the next message work with the earlier turns', async () => {
    const context = await watchedContext(env.chromium);
    const page = await watchedPage(context, reliabilityUrl(env.server.url, { chatbot: { model: '/models/tiny/', device: 'wasm', dtype: 'fp32', 'max-new-tokens': '6' } }));
    await waitForChatbotReady(page);
    await page.evaluate(() => {
      window.recoveryEvents = [];
      for (const type of ['tabwise-error', 'tabwise-ready']) {
        document.querySelector('tabwise-chatbot')!.addEventListener(type, (event) => {
          const e = event as Event & { source?: string; error?: Error };
          window.recoveryEvents.push({ type, source: e.source, name: e.error?.name });
        });
      }
    });
    const chatbot = () =>
      page.evaluate(() => {
        const element = document.querySelector('tabwise-chatbot')!;
        return { history: element.history, stats: element.stats, ready: element.ready, generating: element.generating };
      });

    await type(page, 'My name is Ada and I like tea.');
    await waitForChatbotHistory(page, 2);
    const first = await chatbot();

    // A long reply, killed at its first token.
    await setAttribute(page, 'max-new-tokens', '400');
    await killWorkerAtNextToken(page);
    await type(page, 'Tell me a long story.');
    const alert = page.locator(chatbotPart('error')).filter({ hasText: 'WorkerCrashedError' });
    await alert.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('tabwise-chatbot')!.generating);
    assert.match(
      await alert.innerText(),
      /^The reply failed \(WorkerCrashedError: the engine worker stopped: .+\)\. Press Retry to restart the model and send it again\.$/,
    );
    assert.equal(await alert.isVisible(), true, 'the message is on screen');
    const crashed = await chatbot();
    assert.deepEqual(crashed.history, first.history, 'the finished turn is kept; the failed one is not half-recorded');
    assert.deepEqual(
      await page.evaluate(() => window.recoveryEvents),
      [{ type: 'tabwise-error', source: 'send', name: 'WorkerCrashedError' }],
      'one tabwise-error tells listeners',
    );
    assert.equal(await page.locator(chatbotPart('retry')).isEnabled(), true);
    assert.equal(await page.locator(chatbotPart('send')).isEnabled(), true);

    // Retry sends the failed message again on a fresh worker, with the first turn restored.
    await setAttribute(page, 'max-new-tokens', '6');
    await page.locator(chatbotPart('retry')).click();
    await waitForChatbotHistory(page, 4);
    const retried = await chatbot();
    assert.deepEqual(retried.history.slice(0, 2), first.history);
    assert.deepEqual(retried.history[2], { role: 'user', content: 'Tell me a long story.' });
    assert.equal(retried.history[3].role, 'assistant');
    assert.deepEqual(await shownErrors(page), [], 'the error is gone once a reply worked');
    // The fresh worker had to feed it the whole conversation: the first turn was in its context.
    const firstTurnTokens = first.stats!.contextTokens + first.stats!.newTokens;
    assert.ok(retried.stats!.contextTokens > firstTurnTokens, `context ${retried.stats!.contextTokens} > first turn ${firstTurnTokens}`);
    assert.equal(retried.stats!.promptTokens, retried.stats!.contextTokens, 'a new worker prefilled everything');

    // Killed again, mid-reply; this time the next typed message goes through.
    await setAttribute(page, 'max-new-tokens', '400');
    await killWorkerAtNextToken(page);
    await type(page, 'Another long one, please.');
    await alert.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('tabwise-chatbot')!.generating);
    await setAttribute(page, 'max-new-tokens', '6');
    await type(page, 'What is my name?');
    await waitForChatbotHistory(page, 6);
    const after = await chatbot();
    assert.deepEqual(after.history.slice(0, 4), retried.history, 'every finished turn survived both crashes');
    assert.deepEqual(after.history[4], { role: 'user', content: 'What is my name?' });
    assert.ok(after.stats!.contextTokens > retried.stats!.contextTokens + retried.stats!.newTokens, JSON.stringify(after.stats));
    assert.equal(after.ready, true);
    assert.deepEqual(await shownErrors(page), []);
    assert.equal(
      (await page.evaluate(() => window.recoveryEvents)).filter((e) => e.name === 'WorkerCrashedError').length,
      2,
    );
    assert.deepEqual(await unhandled(page), []);
    assert.deepEqual(page.consoleErrors, []);
    await context.close();
  });
});
