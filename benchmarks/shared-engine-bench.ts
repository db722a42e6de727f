// share: 'origin' beside share: 'tab' in one headless Chromium run: a second tab's createChat() →
// ready, renderer memory (RSS) of 4 tabs against 1, and host-tab close → the next reply in another
// tab. `node --import tsx benchmarks/shared-engine-bench.ts [--model /models/small/]`; prints rows as
// JSON on the last line (npm run bench adds them to its table; --no-sharing skips them).
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NodeRows } from './node-rows.ts';
// @ts-expect-error plain JS modules shared with the npm scripts
import { chromiumArgs, findChromium } from '../scripts/chromium.js';
// @ts-expect-error plain JS modules shared with the npm scripts
import { startServer } from '../scripts/server.js';

const modelArg = process.argv.indexOf('--model');
const model = modelArg > 0 ? process.argv[modelArg + 1] : '/models/small/';
const options = { model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 8 } };

const server = await startServer();
const browser: Browser = await chromium.launch({ executablePath: findChromium({ quiet: true }), args: chromiumArgs, headless: true });

async function chatPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(600_000);
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto(`${server.url}/tests/pages/chat/index.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return page;
}

/** createChat() → ready in `page`, in ms; the chat stays on window.chat. */
function openChat(page: Page, share: string): Promise<number> {
  return page.evaluate(
    async ({ options, share }) => {
      const start = performance.now();
      (window as any).chat = await (window as any).tabwise.createChat({ ...options, share });
      return performance.now() - start;
    },
    { options, share },
  );
}

/** Resident memory of every renderer process of this browser (pages and their dedicated workers), in MB. */
function rendererRssMb(): number {
  const children = (pid: number): number[] => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  // Playwright starts the browser as a child of this process; its renderers are further down.
  const all: number[] = [];
  const visit = (pid: number) => children(pid).forEach((child) => (all.push(child), visit(child)));
  visit(process.pid);
  let kb = 0;
  for (const pid of all) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kb += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

const results: Record<string, unknown> = { model, device: 'wasm', dtype: 'fp32' };
const record = (name: string, value: unknown) => {
  results[name] = value;
  console.error(`${name}: ${JSON.stringify(value)}`); // as it comes, in case a later step fails
};

for (const share of ['tab', 'origin']) {
  // Second tab ready: the first tab loads (and caches) the model; the second is timed.
  const context = await browser.newContext();
  const first = await chatPage(context);
  const firstMs = await openChat(first, share);
  const second = await chatPage(context);
  const secondMs = await openChat(second, share);
  const status = await second.evaluate(() => (window as any).chat.shared);
  record(`${share}: first tab ready (ms, cold)`, Math.round(firstMs));
  record(`${share}: second tab ready (ms)`, Math.round(secondMs));
  record(`${share}: second tab status`, status);
  // Memory: 1 tab, then 4 tabs, each with a chat that replied once.
  await second.close();
  await first.evaluate(() => (window as any).chat.send('Hello there.'));
  const oneTab = rendererRssMb();
  // The browser's own share of four tabs: the same page three more times, library loaded, no chat.
  const bare = await Promise.all([0, 1, 2].map(() => chatPage(context)));
  const floorTabs = rendererRssMb();
  await Promise.all(bare.map((page) => page.close()));
  const pages = [first];
  for (let i = 1; i < 4; i++) {
    const page = await chatPage(context);
    await openChat(page, share);
    pages.push(page);
  }
  await Promise.all(pages.map((page, i) => page.evaluate((i) => (window as any).chat.send(`Tab ${i} says hello.`), i)));
  const fourTabs = rendererRssMb();
  record(`${share}: renderer RSS, 1 tab (MB)`, Math.round(oneTab));
  record(`${share}: renderer RSS, 4 tabs (MB)`, Math.round(fourTabs));
  record(`${share}: 4 tabs / 1 tab`, Number((fourTabs / oneTab).toFixed(2)));
  record(`${share}: renderer RSS, 1 tab + 3 without a chat (MB)`, Math.round(floorTabs));
  record(`${share}: 4 tabs / (1 tab + 3 without a chat)`, Number((fourTabs / floorTabs).toFixed(2)));
  // Host close (origin) or a crashed worker (tab) → the next reply in another tab, turn 2.
  const other = pages[1];
  const closeToReply = await (async () => {
    const start = Date.now();
    if (share === 'origin') await first.close();
    else await other.evaluate(() => (window as any).chat.worker.terminate());
    // A send made before the page learned of the death is a turn in flight: it rejects with
    // WorkerCrashedError (history kept), and the app sends again.
    const history = await other.evaluate(async () => {
      const chat = (window as any).chat;
      await chat.send('Are you still there?').catch((error: Error) => {
        if (error.name !== 'WorkerCrashedError') throw error;
        return chat.send('Are you still there?');
      });
      return chat.history.length;
    });
    return { ms: Date.now() - start, history };
  })();
  record(share === 'origin' ? 'origin: host tab close → next reply in another tab (ms)' : 'tab: worker crash → next reply (ms)', closeToReply.ms);
  record(`${share}: history length after it`, closeToReply.history);
  await context.close();
}

await browser.close();

// Rows beside each other, as ratios inside this run: the box's absolute times move 2–5× between runs.
const value = (name: string) => results[name] as number;
const rows = new NodeRows();
const label = `${model.replace(/\/$/, '').split('/').at(-1)} fp32, WASM, Chromium`;
const secondTab = value('origin: second tab ready (ms)');
rows.add(`share: 'origin' second tab createChat() → ready, ms (${label})`, String(secondTab), {
  ratio: `'tab': ${value('tab: second tab ready (ms)')} ms`,
  target: '≤ 100 ms',
  met: secondTab <= 100 ? 'yes' : 'no',
});
const memoryRatio = value('origin: 4 tabs / 1 tab');
rows.add(`share: 'origin' renderer memory, 4 tabs ÷ 1 tab (RSS, pages included)`, `${value('origin: renderer RSS, 4 tabs (MB)')} / ${value('origin: renderer RSS, 1 tab (MB)')} MB`, {
  ratio: `${memoryRatio}× ('tab': ${value('tab: 4 tabs / 1 tab')}×)`,
  target: '≤ 1.3×',
  met: memoryRatio <= 1.3 ? 'yes' : 'no',
});
const overFloor = value('origin: 4 tabs / (1 tab + 3 without a chat)');
rows.add(`share: 'origin' renderer memory, 4 tabs ÷ (1 tab + 3 tabs of the same page without a chat)`, `${value('origin: renderer RSS, 4 tabs (MB)')} / ${value('origin: renderer RSS, 1 tab + 3 without a chat (MB)')} MB`, {
  ratio: `${overFloor}× ('tab': ${value('tab: 4 tabs / (1 tab + 3 without a chat)')}×); the browser's own floor of 4 tabs is ${(value('origin: renderer RSS, 1 tab + 3 without a chat (MB)') / value('origin: renderer RSS, 1 tab (MB)')).toFixed(2)}× 1 tab`,
});
const failover = value('origin: host tab close → next reply in another tab (ms)');
const restart = value('tab: worker crash → next reply (ms)');
rows.add(`share: 'origin' host tab closed → next reply in another tab, ms`, String(failover), {
  ratio: `'tab' worker crash → reply (a warm load): ${restart} ms`,
  target: '≤ warm load + 1 s',
  met: failover <= restart + 1000 ? 'yes' : 'no',
});
rows.print();
await server.close();
