// What a user checks in an app that installed tabwise: the chatbot answers, and the scoreboard is
// shared by two tabs. Used by the packaging tests (Vite, webpack, the CDN drop-in).
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage } from '../support/browser.ts';

const timeout = 90_000;

/** Waits for the chatbot to be ready; a load failure (tabwise-error) fails at once with its name. */
export async function chatbotReady(page: Page): Promise<void> {
  await page.evaluate(
    (timeout) =>
      new Promise<void>((resolve, reject) => {
        const chatbot = document.querySelector('tabwise-chatbot')!;
        const timer = setTimeout(() => reject(new Error('tabwise-chatbot did not become ready')), timeout);
        const done = (error?: Error) => (clearTimeout(timer), error ? reject(error) : resolve());
        if ((chatbot as unknown as { ready: boolean }).ready) return done();
        chatbot.addEventListener('tabwise-ready', () => done());
        chatbot.addEventListener('tabwise-error', (event) => {
          const { error } = event as unknown as { error: Error };
          done(new Error(`tabwise-error while loading: ${error.name}: ${error.message}`));
        });
      }),
    timeout,
  );
}

export async function chatOnce(page: Page, text: string): Promise<{ role: string; content: string }[]> {
  await chatbotReady(page);
  await page.locator('tabwise-chatbot [part~="input"]').fill(text);
  await page.locator('tabwise-chatbot [part~="input"]').press('Enter');
  await page.waitForFunction(
    () => {
      const chatbot = document.querySelector('tabwise-chatbot') as unknown as { generating: boolean; history: unknown[] };
      return !chatbot.generating && chatbot.history.length === 2;
    },
    null,
    { timeout },
  );
  return page.evaluate(() => (document.querySelector('tabwise-chatbot') as unknown as { history: { role: string; content: string }[] }).history);
}

async function submitScore(page: Page, score: number): Promise<void> {
  const input = page.locator('tabwise-scoreboard [part~="input"]');
  await input.fill(String(score));
  await input.press('Enter');
}

async function scores(page: Page, count: number): Promise<number[]> {
  await page.waitForFunction((count) => (document.querySelector('tabwise-scoreboard') as unknown as { all: number[] }).all.length >= count, count, { timeout: 20_000 });
  return page.evaluate(() => [...(document.querySelector('tabwise-scoreboard') as unknown as { all: number[] }).all].sort((a, b) => a - b));
}

/** Two tabs of one browser profile on `url`: tab one chats; both see each other's scores. */
export async function checkChatAndSharedScores(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext();
  try {
    const first = await openPage(context, url);
    const second = await openPage(context, url);
    const history = await chatOnce(first, 'Hello, who are you?');
    assert.deepEqual(history.map((message) => message.role), ['user', 'assistant']);
    assert.equal(history[0].content, 'Hello, who are you?');

    await submitScore(first, 7);
    assert.deepEqual(await scores(second, 1), [7]);
    await submitScore(second, 3);
    assert.deepEqual(await scores(first, 2), [3, 7]);
    assert.deepEqual([...first.errors, ...second.errors].map(String), []);
  } finally {
    await context.close();
  }
}
