// <tabwise-chatbot> when its engine worker dies mid-reply (a crash, an out-of-memory kill): the element
// says what happened, Retry and the next message both work, and the earlier turns stay in the
// model's context. (createChat() itself is covered by chat.test.ts.)
import assert from 'node:assert/strict';
import { browserSuite, type TestPage } from '../support/browser.ts';
import {
  chatbotPart,
  consoleErrors,
  reliabilityUrl,
  shownErrors,
  typeMessage,
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

browserSuite('reliability-element-recovery', {}, (env) => {
  /**
   * Terminates the chatbot's engine worker at the first token of the next reply. The element keeps its
   * Chat to itself; a chat for the same model, revision, device and dtype in the same tab shares the
   * element's worker (one engine per model per tab), which is how a test reaches it.
   */
  function killWorkerAtNextToken(page: TestPage) {
    return page.evaluate(async () => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      const sameEngine = await window.tabwise.createChat({ model: '/models/tiny/', device: 'wasm', dtype: 'fp32' });
      chatbot.addEventListener('tabwise-token', () => sameEngine.worker.terminate(), { once: true });
    });
  }

  const setAttribute = (page: TestPage, name: string, value: string) =>
    page.evaluate(([name, value]) => document.querySelector('tabwise-chatbot')!.setAttribute(name, value), [name, value]);

  /** The chatbot's inline error naming WorkerCrashedError, once it shows: its text and whether it is on screen. */
  const crashAlert = (page: TestPage) =>
    page.waitForFunction(
      () => {
        const alert = [...document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll<HTMLElement>('[part~="error"]')].find((node) =>
          node.textContent!.includes('WorkerCrashedError'),
        );
        return alert && { text: alert.innerText, visible: alert.checkVisibility() && alert.getBoundingClientRect().height > 0 };
      },
      undefined,
      { what: 'the chatbot to show the WorkerCrashedError', timeoutMs: 60_000 },
    );
  const notGenerating = (page: TestPage) =>
    page.waitForFunction(() => !document.querySelector('tabwise-chatbot')!.generating, undefined, { what: 'the failed reply to end' });
  const enabled = (page: TestPage, part: string) =>
    page.evaluate((part) => !document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!.disabled, part);

  env.test('a killed engine worker: the chatbot shows what happened; Retry and the next message work with the earlier turns', { timeout: 240_000 }, async () => {
    const context = await watchedContext(env);
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

    await typeMessage(page, 'My name is Ada and I like tea.');
    await waitForChatbotHistory(page, 2);
    const first = await chatbot();

    // A long reply, killed at its first token.
    await setAttribute(page, 'max-new-tokens', '400');
    await killWorkerAtNextToken(page);
    await typeMessage(page, 'Tell me a long story.');
    const alert = (await crashAlert(page))!;
    await notGenerating(page);
    assert.match(alert.text.trim(), /^The reply failed \(WorkerCrashedError: the engine worker stopped: .+\)\. Press Retry to restart the model and send it again\.$/);
    assert.equal(alert.visible, true, 'the message is on screen');
    const crashed = await chatbot();
    assert.deepEqual(crashed.history.slice(0, 2), first.history, 'the finished turn is kept');
    assert.deepEqual(crashed.history[2], { role: 'user', content: 'Tell me a long story.' }, 'the crashed turn\'s message is kept');
    assert.equal(crashed.history[3]?.role, 'assistant');
    assert.equal(crashed.history[3]?.interrupted, true, 'the part of the reply streamed before the crash is kept, marked interrupted');
    assert.equal(crashed.history.length, 4);
    assert.deepEqual(
      await page.evaluate(() => window.recoveryEvents),
      [{ type: 'tabwise-error', source: 'send', name: 'WorkerCrashedError' }],
      'one tabwise-error tells listeners',
    );
    assert.equal(await enabled(page, 'retry'), true);
    assert.equal(await enabled(page, 'send'), true);

    // Retry sends the failed message again on a fresh worker, with the first turn restored.
    await setAttribute(page, 'max-new-tokens', '6');
    await page.click(chatbotPart('retry'));
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
    await typeMessage(page, 'Another long one, please.');
    await crashAlert(page);
    await notGenerating(page);
    await setAttribute(page, 'max-new-tokens', '6');
    await typeMessage(page, 'What is my name?');
    await waitForChatbotHistory(page, 8);
    const after = await chatbot();
    assert.deepEqual(after.history.slice(0, 4), retried.history, 'every finished turn survived both crashes');
    assert.deepEqual(after.history[4], { role: 'user', content: 'Another long one, please.' });
    assert.equal(after.history[5].interrupted, true, 'the second crashed reply is kept, marked interrupted');
    assert.deepEqual(after.history[6], { role: 'user', content: 'What is my name?' });
    assert.ok(after.stats!.contextTokens > retried.stats!.contextTokens + retried.stats!.newTokens, JSON.stringify(after.stats));
    assert.equal(after.ready, true);
    assert.deepEqual(await shownErrors(page), []);
    assert.equal(
      (await page.evaluate(() => window.recoveryEvents)).filter((e) => e.name === 'WorkerCrashedError').length,
      2,
    );
    assert.deepEqual(await unhandled(page), []);
    assert.deepEqual(await consoleErrors(page), []);
    await context.close();
  });
});
