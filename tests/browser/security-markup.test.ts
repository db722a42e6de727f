// Injected markup never runs: what the model says, what the user types, attribute values and values
// other tabs put in global state are all rendered as text. The model's replies here are markup on
// purpose (a tokenizer whose decoder turns every reply into an XSS payload: a hostile checkpoint).
// (The typed-payload basics are in elements.test.ts; this covers model output and the scoreboard.)
import assert from 'node:assert/strict';
import { browserSuite, type TestPage } from '../support/browser.ts';
import {
  chatbotPart,
  evilModelRoute,
  markupPayload,
  payloadHandlersSettled,
  reliabilityUrl,
  shownErrors,
  typeMessage,
  unhandled,
  waitForChatbotHistory,
  waitForChatbotReady,
  watchedContext,
  watchedPage,
  type WatchedPage,
} from './reliability-support.ts';

declare global {
  interface Window {
    pwned?: string[];
  }
}

browserSuite('security-markup', { server: { intercept: evilModelRoute() } }, (env) => {
  const timeout = 240_000; // a hang guard, several times an idle run

  /** Each payload, if it ever ran, would open a dialog or write to window.pwned. */
  const userPayloads = [
    '<img src=x onerror="alert(1);(window.pwned??=[]).push(\'img\')">',
    '<script>alert(2);(window.pwned??=[]).push("script")</script>',
    '<a href="javascript:alert(3)" id="click-me">click me</a>',
    '<iframe srcdoc="<script>parent.alert(4)</script>"></iframe><svg onload="alert(5)"></svg>',
    '<style>*{display:none!important}</style><template><img src=x onerror=alert(6)></template>',
  ];

  /**
   * Elements inside `selector`'s shadow root that text could have created: anything in a message bubble
   * but the element's own spans, and any img, script, iframe, a, style, template or onload/onerror
   * attribute anywhere in the root or the light DOM.
   */
  function injected(page: TestPage, tag: string) {
    return page.evaluate((tag) => {
      const root = document.querySelector(tag)!.shadowRoot!;
      const found: string[] = [];
      for (const node of root.querySelectorAll('[part~="bubble"] *')) {
        if (node.tagName !== 'SPAN' || [...node.attributes].some((a) => a.name !== 'class' && a.name !== 'aria-hidden')) found.push(`bubble: ${node.outerHTML.slice(0, 80)}`);
      }
      for (const scope of [root, document]) {
        for (const node of scope.querySelectorAll('img, iframe, a, style, template, object, embed, script:not([src])')) found.push(node.outerHTML.slice(0, 80));
        for (const node of scope.querySelectorAll('*')) {
          for (const attribute of node.attributes) if (/^on/i.test(attribute.name)) found.push(`${node.tagName} ${attribute.name}`);
        }
      }
      return found;
    }, tag);
  }

  async function nothingRan(page: WatchedPage): Promise<void> {
    await payloadHandlersSettled(page);
    assert.deepEqual(await page.dialogs(), [], 'no dialog opened');
    assert.equal(await page.evaluate(() => window.pwned), undefined, 'no payload ran');
    assert.deepEqual(await unhandled(page), []);
  }

  env.test('model output and user text that are markup are shown as text in <tabwise-chatbot>, while streaming and after', { timeout }, async () => {
    const context = await watchedContext(env);
    const page = await watchedPage(context, reliabilityUrl(env.server.url, { chatbot: { model: '/models/evil/', device: 'wasm', dtype: 'fp32', 'max-new-tokens': '3' } }));
    await waitForChatbotReady(page);
    // Check the log on every token too: the streaming bubble is rendered from the same text.
    await page.evaluate(() => {
      const chatbot = document.querySelector('tabwise-chatbot')!;
      window.pwned = undefined;
      chatbot.addEventListener('tabwise-token', () => {
        requestAnimationFrame(() => {
          const streaming = chatbot.shadowRoot!.querySelectorAll('[part~="bubble"] img, [part~="bubble"] script, [part~="bubble"] a');
          if (streaming.length) (window.pwned ??= []).push('markup while streaming');
        });
      });
    });
    for (const [i, payload] of userPayloads.entries()) {
      await typeMessage(page, payload);
      await waitForChatbotHistory(page, 2 * (i + 1));
    }
    const shown = await page.evaluate(() => ({
      bubbles: [...document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelectorAll('[part~="bubble"]')].map((bubble) => bubble.textContent),
      history: document.querySelector('tabwise-chatbot')!.history,
    }));
    // The model really said markup: every reply is the payload, and it is shown verbatim.
    assert.deepEqual(
      shown.history.map((m) => m.content),
      userPayloads.flatMap((payload) => [payload, markupPayload]),
    );
    assert.deepEqual(shown.bubbles, shown.history.map((m) => m.content), 'each bubble shows its message as text');
    assert.deepEqual(await injected(page, 'tabwise-chatbot'), [], 'no element was created from the text');
    await nothingRan(page);
    await context.close();
  });

  env.test('markup in attributes and in global state is shown as text in <tabwise-scoreboard> and <tabwise-chatbot>', { timeout }, async () => {
    const context = await watchedContext(env);
    const label = '<img src=x onerror="alert(7)">Scores<script>alert(8)</script>';
    const page = await watchedPage(
      context,
      reliabilityUrl(env.server.url, {
        scoreboard: { key: 'markup-board', label, top: '<img src=x onerror=alert(9)>', min: '<svg onload=alert(10)>' },
        chatbot: { model: '<img src=x onerror=alert(11)>', label: '<b onmouseover=alert(12)>Bot</b>', placeholder: '"><img src=x onerror=alert(13)>' },
      }),
    );
    // Another tab of the site stores whatever it likes under the board's key.
    await page.evaluate(async () => {
      const scores = window.tabwise.createGlobalState('markup-board', [] as unknown[]);
      await scores.set(['<img src=x onerror=alert(14)>', { toString: '<script>alert(15)</script>' }, 5, '<a href="javascript:alert(16)">9</a>', 3]);
    });
    await page.waitForFunction(() => document.querySelector('tabwise-scoreboard')!.all.length === 2, undefined, { what: 'the board to keep the 2 numbers' });
    await page.waitForSelector(chatbotPart('load-error'), { what: "the chatbot's load error", timeoutMs: 120_000 });

    const board = await page.evaluate(() => {
      const root = document.querySelector('tabwise-scoreboard')!.shadowRoot!;
      const text = (selector: string) => [...root.querySelectorAll(selector)].map((node) => node.textContent!.trim());
      return { title: text('[part~="title"]')[0], values: text('[part~="value"]'), listLabel: root.querySelector('[part~="list"]')!.getAttribute('aria-label') };
    });
    assert.equal(board.title, label, 'the label is shown as text');
    assert.equal(board.listLabel, `${label}, best first`);
    assert.deepEqual(board.values, ['5', '3', 'No score yet'], 'only the numbers are scores; the markup strings are dropped');
    const boardErrors = (await shownErrors(page, 'tabwise-scoreboard')).join('\n');
    assert.ok(boardErrors.includes('top="<img src=x onerror=alert(9)>": top must be an integer'), boardErrors);
    assert.ok(boardErrors.includes('min="<svg onload=alert(10)>": min must be a finite number'), boardErrors);

    const bot = await page.evaluate(() => {
      const root = document.querySelector('tabwise-chatbot')!.shadowRoot!;
      return {
        title: root.querySelector('[part~="title"]')!.textContent,
        model: root.querySelector('.model')?.textContent,
        placeholder: root.querySelector('textarea')!.placeholder,
        loadError: root.querySelector('[part~="load-error"]')!.textContent!.replace(/\s+/g, ' '),
      };
    });
    assert.equal(bot.title, '<b onmouseover=alert(12)>Bot</b>');
    assert.equal(bot.model, '<img src=x onerror=alert(11)>');
    assert.equal(bot.placeholder, '"><img src=x onerror=alert(13)>');
    // The markup is a relative URL on this origin: fetched there, it fails by name.
    assert.match(bot.loadError, /ModelLoadError: .*%3Cimg%20src=x%20onerror=alert\(11\)%3E/);

    // The pointer over both titles (an inline onmouseover would fire on this event too).
    await page.evaluate(() => {
      for (const tag of ['tabwise-scoreboard', 'tabwise-chatbot']) {
        document.querySelector(tag)!.shadowRoot!.querySelector('[part~="title"]')!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
      }
    });
    assert.deepEqual(await injected(page, 'tabwise-scoreboard'), []);
    assert.deepEqual(await injected(page, 'tabwise-chatbot'), []);
    await nothingRan(page);
    await context.close();
  });
});
