// What a user checks in an app that installed tabwise: the chatbot answers, and the scoreboard is
// shared by two tabs. Used by the packaging tests (Vite, webpack, the CDN drop-in), in any engine.
import assert from 'node:assert/strict';
import type { EngineContext, TestPage } from '../support/test-page.ts';

const timeoutMs = 90_000;

/** Waits for the chatbot to be ready; a load failure (tabwise-error) fails at once with its name. */
export async function chatbotReady(page: TestPage): Promise<void> {
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
    timeoutMs,
  );
}

export async function chatOnce(page: TestPage, text: string): Promise<{ role: string; content: string }[]> {
  await page.waitForSelector('tabwise-chatbot [part~="input"]');
  await chatbotReady(page);
  await page.fill('tabwise-chatbot [part~="input"]', text);
  await page.press('Enter');
  await page.waitForFunction(
    () => {
      const chatbot = document.querySelector('tabwise-chatbot') as unknown as { generating: boolean; history: unknown[] };
      return !chatbot.generating && chatbot.history.length === 2;
    },
    undefined,
    { what: 'the reply to the first message', timeoutMs },
  );
  return page.evaluate(() => (document.querySelector('tabwise-chatbot') as unknown as { history: { role: string; content: string }[] }).history);
}

async function submitScore(page: TestPage, score: number): Promise<void> {
  await page.waitForSelector('tabwise-scoreboard [part~="input"]');
  await page.fill('tabwise-scoreboard [part~="input"]', String(score));
  await page.press('Enter');
}

async function scores(page: TestPage, count: number): Promise<number[]> {
  await page.waitForFunction((count) => (document.querySelector('tabwise-scoreboard') as unknown as { all: number[] }).all.length >= count, count, {
    what: `${count} score(s) on the board`,
    timeoutMs: 20_000,
  });
  return page.evaluate(() => [...(document.querySelector('tabwise-scoreboard') as unknown as { all: number[] }).all].sort((a, b) => a - b));
}

/** Two tabs of one browser profile on `url`: tab one chats; both see each other's scores. */
export async function checkChatAndSharedScores(env: { newContext(): Promise<EngineContext> }, url: string): Promise<void> {
  const context = await env.newContext();
  const first = await context.newPage(url);
  const second = await context.newPage(url);
  const history = await chatOnce(first, 'Hello, who are you?');
  assert.deepEqual(history.map((message) => message.role), ['user', 'assistant']);
  assert.equal(history[0].content, 'Hello, who are you?');

  await submitScore(first, 7);
  assert.deepEqual(await scores(second, 1), [7]);
  await submitScore(second, 3);
  assert.deepEqual(await scores(first, 2), [3, 7]);
  assert.deepEqual([...(await first.errors()), ...(await second.errors())], []);
}
