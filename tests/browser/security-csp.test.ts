// The demos, the drop-in page and a library page under a strict Content-Security-Policy: no eval, no
// inline script, workers from this origin only, model files from this origin or the Hub. Every
// violation is caught three ways: the page's securitypolicyviolation events, the console, and
// report-uri reports (which also come from workers).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, serve, type Served, type TestPage } from '../support/browser.ts';
import { cspServerOptions, violationWatchScript, violations, type CspReports } from '../support/csp.ts';
import { reliabilityUrl, scoreboardPart, typeMessage, unhandled, waitForChatbotHistory, waitForChatbotReady, watchedContext, watchedPage } from './reliability-support.ts';

/** The policy from the issue, with the Hub's origins for model downloads. */
const issuePolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "connect-src 'self' https://huggingface.co https://*.hf.co; style-src 'self' 'unsafe-inline'";
/** Lit's adopted stylesheets are not inline styles: the elements need no 'unsafe-inline' at all. */
const noInlineStylePolicy = issuePolicy.replace("style-src 'self' 'unsafe-inline'", "style-src 'self'");
/** Reports under the issue's policy (the suite's server) and under the stricter one (a second server). */
const issueReports: CspReports = { received: [] };
const noInlineStyleReports: CspReports = { received: [] };

browserSuite('security-csp', { server: cspServerOptions(issuePolicy, issueReports) }, (env) => {
  let noInlineStyle: Served;
  before(async () => {
    noInlineStyle = await serve(cspServerOptions(noInlineStylePolicy, noInlineStyleReports));
  });
  after(async () => {
    await noInlineStyle?.close();
  });
  const timeout = 360_000; // a hang guard: the tour loads six pages, four of them a model

  const cspContext = () => watchedContext(env, { initScript: violationWatchScript });

  async function chat(page: TestPage, text: string): Promise<void> {
    await waitForChatbotReady(page, 120_000);
    await typeMessage(page, text);
    await waitForChatbotHistory(page, 2, 120_000);
  }

  async function submitScore(page: TestPage, score: number): Promise<void> {
    await page.fill(scoreboardPart('input'), String(score));
    await page.press('Enter');
    await page.waitForFunction((score) => document.querySelector('tabwise-scoreboard')!.all.includes(score), score, {
      what: `the scoreboard to hold ${score}`,
      timeoutMs: 60_000,
    });
  }

  env.test('the violation watch works: an inline script, an inline style and eval in a worker are all caught', { timeout }, async () => {
    const reports = noInlineStyleReports;
    const context = await cspContext();
    const page = await watchedPage(context, reliabilityUrl(noInlineStyle.url));
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true;';
      document.body.append(script);
      document.body.append(Object.assign(document.createElement('div'), { innerHTML: '<p style="color: red">inline style</p>' }));
      // The worker says whether its eval ran: a blob: worker takes the policy of the page that made it.
      const source = 'let ran = false; try { eval("ran = true") } catch {} postMessage(ran)';
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      worker.onmessage = (event) => ((window as unknown as { workerEvalRan?: boolean }).workerEvalRan = event.data);
    });
    await page.waitForFunction(() => window.cspViolations.length >= 2, undefined, { what: 'the inline script and style violation events' });
    const workerEvalRan = await page.waitForFunction(() => (window as unknown as { workerEvalRan?: boolean }).workerEvalRan?.toString(), undefined, {
      what: "the blob worker's answer",
    });
    assert.equal(workerEvalRan, 'false', "the page's policy blocks eval in its blob: worker");
    // Chromium and Firefox report a worker's violation (WebKitGTK 2.50 blocks it without a report): wait for it by name.
    const reportsWorkerViolations = env.engine !== 'webkit';
    for (const deadline = Date.now() + 30_000; reportsWorkerViolations && !reports.received.some((report) => JSON.stringify(report).includes('"blocked-uri":"eval"')); ) {
      if (Date.now() > deadline) throw new Error(`no report of the worker's eval within 30 s; reports: ${JSON.stringify(reports.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const seen = await violations(page, reports);
    assert.equal(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan), undefined, 'the inline script did not run');
    assert.ok(seen.some((line) => line.startsWith('event: script-src-elem blocked inline')), seen.join('\n'));
    assert.ok(seen.some((line) => line.startsWith('event: style-src-attr blocked inline')), seen.join('\n'));
    for (const directive of ['script-src-elem', 'style-src-attr']) {
      assert.ok(seen.some((line) => line.startsWith('report:') && line.includes(`"effective-directive":"${directive}"`)), `${directive} reported:\n${seen.join('\n')}`);
    }
    // The browser's own console lines reach the drivers of Chromium and Firefox; classic WebDriver has no console.
    if (env.engine !== 'webkit') assert.ok(seen.some((line) => line.startsWith('console:') && /inline script/.test(line)), seen.join('\n'));
    if (reportsWorkerViolations) assert.ok(seen.some((line) => line.startsWith('report:') && line.includes('"blocked-uri":"eval"')), `a worker's eval is reported:\n${seen.join('\n')}`);
    reports.received.length = 0;
  });

  env.test("the demos, the drop-in page and the library under the issue's policy: chat, scores, zero violations", { timeout }, async () => {
    issueReports.received.length = 0;
    const context = await cspContext();
    const tour: [string, (page: TestPage) => Promise<void>][] = [
      ['/', async (page) => assert.equal(await page.evaluate(() => document.querySelectorAll('main a[href="/03-chat-and-scores/"]').length), 1)],
      ['/01-chatbot/?device=wasm', (page) => chat(page, 'Hello under a strict policy.')],
      ['/02-scoreboard/', (page) => submitScore(page, 7)],
      [
        '/03-chat-and-scores/?device=wasm',
        async (page) => {
          await chat(page, 'Both halves, strict policy.');
          await submitScore(page, 9);
        },
      ],
      [
        '/tests/pages/elements/drop-in.html',
        async (page) => {
          await chat(page, 'The drop-in bundle, strict policy.');
          await submitScore(page, 3);
        },
      ],
      [
        '/tests/pages/chat/index.html',
        async (page) => {
          await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle', timeoutMs: 120_000 });
          const result = await page.evaluate(async () => {
            const chat = await window.tabwise.createChat({ model: '/models/tiny/', device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 3 } });
            const reply = await chat.send('Hello from the library.');
            const deltas: string[] = [];
            for await (const delta of chat.stream('And streamed?')) deltas.push(delta);
            const scores = window.tabwise.createGlobalState('csp-scores', [] as number[], { persist: true });
            const seen: number[][] = [];
            scores.subscribe((value: number[]) => seen.push(value));
            await scores.update((prev: number[]) => [...prev, 42]);
            await chat.dispose();
            return { reply, streamed: deltas.join(''), history: chat.history.length, scores: await scores.get(), transport: scores.transport };
          });
          assert.equal(typeof result.reply, 'string');
          assert.equal(result.history, 4);
          assert.deepEqual(result.scores, [42]);
          assert.equal(result.transport, 'shared-worker', 'the SharedWorker runs under the policy too');
        },
      ],
    ];
    for (const [path, use] of tour) {
      const page = await watchedPage(context, env.url(path), { ready: false });
      await use(page);
      assert.deepEqual(await violations(page, issueReports), [], `${path}: no violation`);
      assert.deepEqual(await unhandled(page), [], `${path}: no unhandled error`);
      await page.close();
    }
  });

  env.test("with style-src 'self' alone (no 'unsafe-inline'), the drop-in elements still load, style and work", { timeout }, async () => {
    noInlineStyleReports.received.length = 0;
    const context = await cspContext();
    const page = await watchedPage(context, `${noInlineStyle.url}/tests/pages/elements/drop-in.html`, { ready: false });
    await chat(page, 'Styled without inline styles?');
    await submitScore(page, 5);
    // The adopted stylesheets applied: the Send button has the accent colour, the board its card border.
    const styles = await page.evaluate(() => {
      const send = document.querySelector('tabwise-chatbot')!.shadowRoot!.querySelector('[part~="send"]')!;
      const card = document.querySelector('tabwise-scoreboard')!.shadowRoot!.querySelector('[part~="card"]')!;
      return { send: getComputedStyle(send).backgroundColor, cardRadius: getComputedStyle(card).borderTopLeftRadius };
    });
    assert.deepEqual(styles, { send: 'rgb(91, 91, 214)', cardRadius: '14px' });
    assert.equal((await page.texts(scoreboardPart('value')))[0].trim(), '5');
    assert.deepEqual(await violations(page, noInlineStyleReports), []);
    assert.deepEqual(await unhandled(page), []);
  });
});
