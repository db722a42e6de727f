// Server-scoped global state in every engine: browser profiles (users) with 4 tabs each and a Node
// client share one counter through the state server, on Redis; each profile holds one WebSocket, in
// its SharedWorker, whatever the number of tabs; demo 02's scope switch shares a board between two users.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createGlobalState } from '../../packages/core/src/state/create-global-state.ts';
import { closeServerConnections } from '../../packages/core/src/state/server/server-store-clients.ts';
import { createStateServer, RedisStore, type StateServer } from '../../packages/server/src/index.ts';
import { browserSuite } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';
import { startRedis, type RedisProcess } from '../support/redis.ts';
import { statePages } from './global-state-pages.ts';

browserSuite('global-state-server', {}, (env) => {
  let redis: RedisProcess;
  let stateHttp: http.Server;
  let states: StateServer;
  let stateUrl: string;

  before(async () => {
    redis = await startRedis();
    stateHttp = http.createServer();
    states = createStateServer({ server: stateHttp, store: await RedisStore.connect({ url: redis.url, prefix: `tabwise-${env.engine}:` }) });
    await new Promise<void>((resolve) => stateHttp.listen(0, '127.0.0.1', resolve));
    stateUrl = `ws://127.0.0.1:${(stateHttp.address() as { port: number }).port}/tabwise-state`;
  });
  after(async () => {
    closeServerConnections();
    await states.close();
    stateHttp.closeAllConnections();
    await new Promise((resolve) => stateHttp.close(resolve));
    await redis?.stop();
  });

  const timeout = 120_000;
  const userCount = 2; // two browser profiles, each a user of its own (in WebKit, a WebKitWebDriver each)

  env.test(`${userCount} users × 4 tabs + a Node client, 200 concurrent update(n => n + 1) each: exactly ${userCount * 800 + 200}, seen by every tab`, { timeout }, async () => {
    const users = await Promise.all(Array.from({ length: userCount }, () => env.newContext()));
    const tabs = (await Promise.all(users.map((user) => statePages(user, env.server.url, 4)))).flat();
    const options = { server: stateUrl, name: 'two-users' };
    await Promise.all(
      tabs.map((tab) =>
        tab.evaluate(
          (options) =>
            new Promise<void>((subscribed) => {
              window.stateSeen = [];
              window.tabwise.createGlobalState('count', 0, options).subscribe((value: number) => {
                window.stateSeen.push(value);
                subscribed();
              });
            }),
          options,
        ),
      ),
    );
    const node = createGlobalState('count', 0, options);
    const [transports] = await Promise.all([
      Promise.all(
        tabs.map((tab) =>
          tab.evaluate(async (options) => {
            const count = window.tabwise.createGlobalState('count', 0, options);
            await Promise.all(Array.from({ length: 200 }, () => count.update((n: number) => n + 1)));
            return count.transport;
          }, options),
        ),
      ),
      Promise.all(Array.from({ length: 200 }, () => node.update((n) => n + 1))),
    ]);
    assert.deepEqual(new Set(transports), new Set(['server']));
    const total = userCount * 800 + 200;
    assert.equal(await node.get(), total);
    for (const [index, tab] of tabs.entries()) {
      const seen = await waitFor(`tab ${index} to see ${total}`, () => tab.evaluate(() => window.stateSeen as number[]), (seen) => seen.at(-1) === total);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `tab ${index} saw the values in commit order`);
      assert.deepEqual(await tab.errors(), []);
    }
    // One WebSocket per browser profile (its SharedWorker's), plus the Node client's.
    assert.equal(states.stats().connections, userCount + 1);
  });

  env.test("demo 02's scope switch: a score one user submits on the server scope shows on the other user's board", { timeout }, async () => {
    // The demo connects to /tabwise-state on its own origin, as under `npm start`: mount one there.
    const demoStates = createStateServer({ server: (env.server as unknown as { server: http.Server }).server });
    const users = await Promise.all([env.newContext(), env.newContext()]);
    const pages = await Promise.all(users.map((user) => user.newPage(env.url('/02-scoreboard/'))));
    for (const page of pages) {
      await page.click('input[name="scope"][value="server"]');
      await page.waitForFunction(() => Boolean(document.querySelector('tabwise-scoreboard')!.getAttribute('server')), undefined, {
        what: 'the board to switch to the server scope',
      });
    }
    await pages[0].fill('tabwise-scoreboard [part="input"]', '4242');
    await pages[0].click('tabwise-scoreboard [part="submit"]');
    await pages[1].waitForFunction(() => document.querySelector('tabwise-scoreboard')!.all.includes(4242), undefined, {
      what: "Bob's board to show Alice's score",
    });
    assert.equal(demoStates.stats().connections, 2, 'one WebSocket per user');
    for (const page of pages) assert.deepEqual(await page.errors(), []);
    await demoStates.close();
  });
});
