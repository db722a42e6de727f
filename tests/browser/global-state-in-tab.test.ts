// The last-resort strategy, forced: the store lives in the page (and the workers it hands a port to).
// Same API and semantics inside one page; other pages don't share it, and a warning says so.
import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';
import { eventually, statePage, stateStats, type StateOptions } from './global-state-pages.ts';

browserSuite('global state in one tab', {}, (env) => {
  const options: StateOptions = { transport: 'in-tab', name: 'in-tab' };
  const timeout = 180_000; // a hang guard, several times an idle run: a loaded 2-core box is that much slower

  env.test('in-tab state is not shared with other pages, and a warning says so', { timeout }, async () => {
    const context = await env.newContext();
    const [page, other] = [await statePage(context, env.server.url), await statePage(context, env.server.url)];
    const mine = await page.evaluate(async (options) => {
      const count = window.tabwise.createGlobalState('count', 0, options);
      await count.set(5);
      return { value: await count.get(), transport: count.transport };
    }, options);
    assert.deepEqual(mine, { value: 5, transport: 'in-tab' });
    assert.equal(await other.evaluate((options) => window.tabwise.createGlobalState('count', 0, options).get(), options), 0);
    assert.ok((await page.warnings()).some((warning) => warning.includes('this tab only')), (await page.warnings()).join('\n'));
    await context.close();
  });

  env.test('subscribe gets the current value at once, then every commit in order', { timeout }, async () => {
    const context = await env.newContext();
    const page = await statePage(context, env.server.url);
    const seen = await page.evaluate(async (options) => {
      const word = window.tabwise.createGlobalState('word', 'none', options);
      await word.set('hello');
      const seen: string[] = [];
      await new Promise((resolve) => word.subscribe((value: string) => (seen.push(value), resolve(value))));
      for (const next of ['a', 'b', 'c']) await word.set(next);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return seen;
    }, options);
    assert.deepEqual(seen, ['hello', 'a', 'b', 'c']);
    await context.close();
  });

  env.test("250 updates from the page and 250 from its worker end at 500; the worker's subscription ends with it", { timeout }, async () => {
    const context = await env.newContext();
    const page = await statePage(context, env.server.url);
    const result = await page.evaluate(async (options) => {
      const counter = window.tabwise.createGlobalState('counter', 0, options);
      const seen: number[] = [];
      counter.subscribe((value: number) => seen.push(value));
      const worker = window.startStateWorker('in-tab');
      window.stateWorker = worker;
      await worker.call('subscribe', 'counter', options);
      await Promise.all([
        worker.call('increment', 'counter', options, 250),
        ...Array.from({ length: 250 }, () => counter.update((n: number) => n + 1)),
      ]);
      return { value: await counter.get(), last: seen.at(-1), stats: await counter.stats(), workerTransport: await worker.call('transport', 'counter', options) };
    }, options);
    assert.equal(result.value, 500);
    assert.equal(result.last, 500);
    assert.equal(result.workerTransport, 'in-tab');
    assert.equal(result.stats.subscribers, 2, 'the page and its worker');
    assert.equal(result.stats.connections, 2);
    assert.equal(await eventually(() => page.evaluate(() => window.stateWorker.call('seen')), (seen: number[]) => seen.at(-1) === 500).then((s) => s.at(-1)), 500);

    await page.evaluate(() => window.stateWorker.terminate());
    const afterWorker = await eventually(() => stateStats(page, 'counter', options), (stats) => stats.subscribers === 1);
    assert.deepEqual([afterWorker.subscribers, afterWorker.connections], [1, 1], 'the worker died: its lifetime lock was released');
    assert.deepEqual((await page.errors()), []);
    await context.close();
  });

  env.test('unsubscribing drops the subscription in the store', { timeout }, async () => {
    const context = await env.newContext();
    const page = await statePage(context, env.server.url);
    const counts = await page.evaluate(async (options) => {
      const watched = window.tabwise.createGlobalState('watched', 0, options);
      const firstValues: Promise<unknown>[] = [];
      const offs = [0, 1].map(() => {
        let off = () => {};
        firstValues.push(new Promise((resolve) => (off = watched.subscribe(resolve))));
        return off;
      });
      await Promise.all(firstValues);
      const counts = [(await watched.stats()).subscribers];
      for (const off of offs) {
        off();
        counts.push((await watched.stats()).subscribers);
      }
      return counts;
    }, options);
    assert.deepEqual(counts, [2, 1, 0]);
    await context.close();
  });

  env.test('a persisted value survives closing the page', { timeout }, async () => {
    const context = await env.newContext();
    const page = await statePage(context, env.server.url);
    await page.evaluate((options) => window.tabwise.createGlobalState('best', 0, { ...options, persist: true }).set(99), options);
    await page.close();
    const reopened = await statePage(context, env.server.url);
    assert.equal(await reopened.evaluate((options) => window.tabwise.createGlobalState('best', 0, { ...options, persist: true }).get(), options), 99);
    await context.close();
  });
});
