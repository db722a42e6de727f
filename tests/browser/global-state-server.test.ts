// Server-scoped global state in real Chromium: two browser contexts (two users) with 4 tabs each and a
// Node client share one counter through the state server; each profile holds one WebSocket, in its
// SharedWorker, whatever the number of tabs; demo 02's scope switch shares a board between two users.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createGlobalState } from '../../packages/core/src/state/create-global-state.ts';
import { closeServerConnections } from '../../packages/core/src/state/server/server-store-clients.ts';
import { createStateServer, type StateServer } from '../../packages/server/src/index.ts';
import { browserSuite, openPage } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';
import { statePages } from './global-state-pages.ts';

browserSuite('global-state-server', { engines: ['chromium'], reason: 'Chromium only for now: written against Playwright, not yet on the cross-engine page interface' }, (env) => {
  let stateHttp: http.Server;
  let states: StateServer;
  let stateUrl: string;

  before(async () => {
    stateHttp = http.createServer();
    states = createStateServer({ server: stateHttp });
    await new Promise<void>((resolve) => stateHttp.listen(0, '127.0.0.1', resolve));
    stateUrl = `ws://127.0.0.1:${(stateHttp.address() as { port: number }).port}/tabwise-state`;
  });
  after(async () => {
    closeServerConnections();
    await states.close();
    stateHttp.closeAllConnections();
    await new Promise((resolve) => stateHttp.close(resolve));
  });

  const timeout = 120_000;

  env.test('two users × 4 tabs + a Node client, 200 concurrent update(n => n + 1) each: exactly 1800, seen by every tab', { timeout }, async () => {
    const users = await Promise.all([env.newContext(), env.newContext()]);
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
    assert.equal(await node.get(), 1800);
    for (const [index, tab] of tabs.entries()) {
      const seen = await waitFor(`tab ${index} to see 1800`, () => tab.evaluate(() => window.stateSeen as number[]), (seen) => seen.at(-1) === 1800);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `tab ${index} saw the values in commit order`);
      assert.deepEqual(await tab.errors(), []);
    }
    // One WebSocket per browser profile (its SharedWorker's), plus the Node client's.
    assert.equal(states.stats().connections, 3);
  });

  env.test("demo 02's scope switch: a score one user submits on the server scope shows on the other user's board", { timeout }, async () => {
    // The demo connects to /tabwise-state on its own origin, as under `npm start`: mount one there.
    const demoStates = createStateServer({ server: (env.server as unknown as { server: http.Server }).server });
    const [alice, bob] = await Promise.all([env.chromium.newContext(), env.chromium.newContext()]);
    const pages = await Promise.all([alice, bob].map((user) => openPage(user, `${env.server.url}/02-scoreboard/`)));
    for (const page of pages) {
      await page.locator('input[name="scope"][value="server"]').check();
      await waitFor('the boards to switch to the server', () => page.locator('tabwise-scoreboard').first().getAttribute('server'), (url) => Boolean(url));
    }
    const board = (page: (typeof pages)[number]) => page.locator('tabwise-scoreboard').first();
    await board(pages[0]).locator('[part="input"]').fill('4242');
    await board(pages[0]).locator('[part="submit"]').click();
    await waitFor("Bob's board to show Alice's score", () => board(pages[1]).evaluate((element) => (element as unknown as { all: number[] }).all), (all) => all.includes(4242));
    assert.equal(demoStates.stats().connections, 2, 'one WebSocket per user');
    assert.deepEqual(pages.flatMap((page) => page.errors.map(String)), []);
    await demoStates.close();
  });
});
