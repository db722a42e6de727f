// The state server on a real Redis (started here on a free port, AOF on): two server processes serve
// one state, a killed server process and a restarted Redis lose nothing committed, and an update
// issued while the server is unreachable fails after its timeout and is never applied later.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createGlobalState } from '../../packages/core/src/state/create-global-state.ts';
import { closeServerConnections } from '../../packages/core/src/state/server/server-store-clients.ts';
import { createStateServer, RedisStore } from '../../packages/server/src/index.ts';
import { waitFor } from '../support/eventually.ts';
import { freePort, startRedis, type RedisProcess } from '../support/redis.ts';
import { startStateServerProcess, type StateServerProcess } from '../support/state-server-process.ts';

let redis: RedisProcess;
let serverA: StateServerProcess;
let serverB: StateServerProcess;

before(async () => {
  redis = await startRedis();
  [serverA, serverB] = await Promise.all([
    freePort().then((port) => startStateServerProcess(port, ['--redis', redis.url])),
    freePort().then((port) => startStateServerProcess(port, ['--redis', redis.url])),
  ]);
});
after(async () => {
  closeServerConnections();
  await Promise.all([serverA?.stop(), serverB?.stop()]);
  await redis?.stop();
});

let namespace = 0;
const fresh = () => `redis-t${namespace++}`;
const timeout = 90_000;

/** `count` clients, alternately on server A and B, each with its own WebSocket (its own token). */
function clientsOnBoth(name: string, count: number, options: { timeout?: number } = {}) {
  return Array.from({ length: count }, (_, index) => {
    const server = index % 2 === 0 ? serverA : serverB;
    return createGlobalState('log', [] as string[], { server: server.url, name, token: `${name}-${index}`, ...options });
  });
}

/** Each observed value must be a prefix of the final list: one order for everybody. */
function assertPrefixesOf(observed: string[][], final: string[], who: string): void {
  for (const value of observed) assert.deepEqual(value, final.slice(0, value.length), `${who} saw a value out of the common order`);
}

describe('state server on Redis', () => {
  test('two server processes on one Redis: concurrent appends from both sides, none lost or doubled, one order for all', { timeout }, async () => {
    const clients = clientsOnBoth(fresh(), 8);
    const seen = clients.map(() => [] as string[][]);
    clients.forEach((state, index) => state.subscribe((value) => seen[index].push(value)));
    await Promise.all(clients.flatMap((state, client) => Array.from({ length: 25 }, (_, n) => state.update((log) => [...log, `${client}:${n}`]))));
    const final = await clients[1].get();
    assert.equal(final.length, 200);
    assert.equal(new Set(final).size, 200, 'no append doubled');
    for (let client = 0; client < 8; client++) {
      for (let n = 0; n < 25; n++) assert.ok(final.includes(`${client}:${n}`), `append ${client}:${n} kept`);
      const mine = final.filter((entry) => entry.startsWith(`${client}:`));
      assert.deepEqual(mine, Array.from({ length: 25 }, (_, n) => `${client}:${n}`), "one client's appends stay in call order");
    }
    for (const [index, values] of seen.entries()) {
      await waitFor(`subscriber ${index} to see all 200`, () => values.at(-1)?.length, (length) => length === 200);
      assertPrefixesOf(values, final, `subscriber ${index}`);
    }
  });

  test('a server process killed mid-run: its clients reconnect to it restarted, and nothing committed is lost', { timeout }, async () => {
    const clients = clientsOnBoth(fresh(), 4, { timeout: 60_000 });
    const seen: string[][] = [];
    clients[3].subscribe((value) => seen.push(value));
    const writes = clients.map(async (state, client) => {
      for (let n = 0; n < 30; n++) await state.update((log) => [...log, `${client}:${n}`]);
    });
    await waitFor('40 appends before the kill', () => clients[1].get().then((log) => log.length), (length) => length >= 40);
    await serverA.restart(); // SIGKILL, then the same port again
    await Promise.all(writes);
    const final = await clients[0].get();
    assert.equal(final.length, 120, 'every append that resolved is there');
    assert.equal(new Set(final).size, 120, 'none doubled by the re-sent commits');
    await waitFor('the subscriber to see all 120', () => seen.at(-1)?.length, (length) => length === 120);
    assertPrefixesOf(seen, final, 'the subscriber');
  });

  test('Redis restarted: the values survive (AOF), and the servers carry on', { timeout }, async () => {
    const name = fresh();
    const [writer] = clientsOnBoth(name, 1);
    await writer.set(['before the restart']);
    await redis.restart();
    const reader = createGlobalState('log', [] as string[], { server: serverB.url, name, token: `${name}-after` });
    assert.deepEqual(await reader.get(), ['before the restart']);
    await writer.update((log) => [...log, 'after the restart']);
    assert.deepEqual(await reader.get(), ['before the restart', 'after the restart']);
  });

  test('an update issued while the server is unreachable fails with GlobalStateTransportError after its timeout, and is never applied', { timeout }, async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/tabwise-state`;
    const name = fresh();
    const offline = createGlobalState('count', 0, { server: url, name, timeout: 500 });
    await assert.rejects(offline.update((n) => n + 1), (error: Error) => error.name === 'GlobalStateTransportError' && /nothing was sent/.test(error.message));
    // Now the server comes up; the client reconnects by itself.
    const httpServer = http.createServer();
    const states = createStateServer({ store: await RedisStore.connect({ url: redis.url }), server: httpServer });
    await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
    try {
      const value = await waitFor('the offline client to reconnect', () => offline.get().catch((error: Error) => error.name), (value) => typeof value === 'number', 20_000);
      assert.equal(value, 0, 'the timed-out update was not applied after the reconnection');
      assert.equal((await offline.stats()).version, 0);
    } finally {
      await states.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});
