// What tabwise leaves in a site's storage: every Cache API cache, IndexedDB database and Web Lock it
// creates is named tabwise…, so it never collides with (or reads) the host page's own; nothing goes
// to localStorage, sessionStorage, cookies or OPFS. Global state is scoped to the origin by
// construction (SharedWorker, BroadcastChannel, Web Locks and IndexedDB all are): another origin
// sees none of it.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, serve, type Served } from '../support/browser.ts';
import { reliabilityUrl, typeMessage, unhandled, waitForChatbotHistory, waitForChatbotReady, watchedContext, watchedPage } from './reliability-support.ts';

browserSuite('security-storage', {}, (env) => {
  /** A second origin (another port) serving the same files. */
  let otherOrigin: Served;

  before(async () => {
    otherOrigin = await serve();
  });
  after(async () => {
    await otherOrigin?.close();
  });
  const timeout = 180_000; // a hang guard, several times an idle run

  env.test('after chatting and using persisted global state, every cache, database and lock is named tabwise…', { timeout }, async () => {
    const context = await watchedContext(env);
    const page = await watchedPage(
      context,
      reliabilityUrl(env.server.url, {
        chatbot: { model: '/models/tiny/', device: 'wasm', dtype: 'fp32', 'max-new-tokens': '3' },
        scoreboard: { key: 'namespaced-board', persist: '' },
      }),
    );
    await waitForChatbotReady(page);
    await typeMessage(page, 'Hello, storage.');
    await waitForChatbotHistory(page, 2);
    const names = await page.evaluate(async () => {
      const chat = await window.tabwise.createChat({ model: '/models/tiny/', device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 2 } });
      await chat.send('And from the library.');
      const persisted = window.tabwise.createGlobalState('namespaced', { n: 0 }, { persist: true });
      await persisted.update((prev: { n: number }) => ({ n: prev.n + 1 }));
      await window.tabwise.createGlobalState('namespaced-volatile', 1).set(2);
      await document.querySelector('tabwise-scoreboard')!.submit(4);
      // While everything is live: chats open, a subscription held, the store connected.
      const locks = await navigator.locks.query();
      // WebKitGTK 2.50 has no origin private file system (navigator.storage.getDirectory): nothing can be there.
      const opfs: string[] = [];
      if (navigator.storage?.getDirectory) {
        const root = await navigator.storage.getDirectory();
        for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) opfs.push(name);
      }
      return {
        caches: await caches.keys(),
        databases: (await indexedDB.databases()).map((database) => database.name ?? ''),
        locks: [...(locks.held ?? []), ...(locks.pending ?? [])].map((lock) => lock.name ?? ''),
        localStorage: localStorage.length,
        sessionStorage: sessionStorage.length,
        cookies: document.cookie,
        opfs,
      };
    });
    // Each kind was used, or the test checks nothing.
    assert.ok(names.caches.length >= 1, 'the model is cached');
    assert.ok(names.databases.length >= 1, 'persisted state is in IndexedDB');
    assert.ok(names.locks.length >= 2, 'tabs and workers hold lifetime locks');
    const notOurs = [...names.caches, ...names.databases, ...names.locks].filter((name) => !name.startsWith('tabwise'));
    assert.deepEqual(notOurs, [], JSON.stringify(names, null, 1));
    assert.deepEqual(
      { localStorage: names.localStorage, sessionStorage: names.sessionStorage, cookies: names.cookies, opfs: names.opfs },
      { localStorage: 0, sessionStorage: 0, cookies: '', opfs: [] },
    );
    assert.deepEqual(await unhandled(page), []);
    await context.close();
  });

  env.test('global state is origin-scoped: a page of another origin in the same browser sees none of it', { timeout }, async () => {
    const context = await watchedContext(env);
    const [mine, other] = await Promise.all([watchedPage(context, reliabilityUrl(env.server.url)), watchedPage(context, reliabilityUrl(otherOrigin.url))]);
    await mine.evaluate(async () => {
      await window.tabwise.createGlobalState('origin-secret', 'nobody', { persist: true }).set('only this origin');
      await window.tabwise.createGlobalState('origin-volatile', 0).set(41);
    });
    const seen = await other.evaluate(async () => ({
      persisted: await window.tabwise.createGlobalState('origin-secret', 'nobody', { persist: true }).get(),
      volatile: await window.tabwise.createGlobalState('origin-volatile', 0).get(),
    }));
    assert.deepEqual(seen, { persisted: 'nobody', volatile: 0 });
    // …while a second page of the first origin does see it.
    const sameOrigin = await watchedPage(context, reliabilityUrl(env.server.url));
    assert.equal(await sameOrigin.evaluate(() => window.tabwise.createGlobalState('origin-volatile', 0).get()), 41);
    for (const page of [mine, other, sameOrigin]) assert.deepEqual(await unhandled(page), []);
    await context.close();
  });
});
