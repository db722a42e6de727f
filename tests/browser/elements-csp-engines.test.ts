// The drop-in elements in every engine, under the strict policy of security-csp.test.ts: typed into
// and clicked like a person would, a streamed reply, a score shared with a second tab, zero
// violations (the page's events and the server's report-uri reports), and a screenshot.
import assert from 'node:assert/strict';
import { browserSuite, type TestPage } from '../support/browser.ts';
import { cspServerOptions, violationWatchScript, violations, type CspReports } from '../support/csp.ts';

const policy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "connect-src 'self' https://huggingface.co https://*.hf.co; style-src 'self'";
/** Violation reports the server received (report-uri): they come from workers too, and from before load. */
const reports: CspReports = { received: [] };

browserSuite(
  'drop-in elements under a strict CSP',
  { server: cspServerOptions(policy, reports) },
  (env) => {
    const input = 'tabwise-chatbot [part~="input"]';
    const scoreInput = 'tabwise-scoreboard [part~="input"]';

    async function dropIn(context: Awaited<ReturnType<typeof env.newContext>>): Promise<TestPage> {
      const page = await context.newPage(env.url('/tests/pages/elements/drop-in.html'));
      await page.waitForFunction(() => document.querySelector('tabwise-chatbot')?.ready === true, undefined, {
        what: 'the chatbot to load the tiny model',
        timeoutMs: 90_000,
      });
      return page;
    }

    env.test('type a message, Enter sends it, the reply streams in; a score reaches the other tab; no violation', { timeout: 180_000 }, async () => {
      reports.received.length = 0;
      const context = await env.newContext({ viewport: { width: 1000, height: 800 }, initScript: violationWatchScript });
      const [page, other] = [await dropIn(context), await dropIn(context)];

      await page.fill(input, 'Hello from every engine.');
      await page.press('Enter');
      await page.waitForFunction(
        () => {
          const chatbot = document.querySelector('tabwise-chatbot')!;
          return !chatbot.generating && chatbot.history.length === 2;
        },
        undefined,
        { what: 'the reply to the typed message' },
      );
      const history = await page.evaluate(() => document.querySelector('tabwise-chatbot')!.history);
      assert.equal(history[0].content, 'Hello from every engine.', 'the message exactly as typed');
      assert.equal(history[1].role, 'assistant');
      const shown = await page.texts('tabwise-chatbot [part~="message"]');
      assert.ok(shown.some((text) => text.includes('Hello from every engine.')), `messages shown: ${JSON.stringify(shown)}`);

      await page.fill(scoreInput, '42');
      await page.press('Enter');
      await other.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.all.includes(42), undefined, {
        what: "the other tab's scoreboard to show 42",
      });
      assert.ok((await other.texts('tabwise-scoreboard [part~="value"]')).includes('42'));

      const png = await page.screenshot();
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.ok(png.length > 5_000, `a screenshot with content (${png.length} bytes)`);

      assert.deepEqual(await violations(page, reports), [], 'no securitypolicyviolation event, console line or report');
      assert.deepEqual([...(await page.errors()), ...(await other.errors())], []);
    });
  },
);
