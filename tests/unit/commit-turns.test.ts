// Fair turns for compare-and-set (state/commit-turns.ts) when one client is far slower to answer than
// another: the leader tab's own client reaches its store at once, while a follower's every request
// and answer cross a BroadcastChannel, which a loaded Firefox delayed enough to starve all followers
// (commits per tab 240,0,0,0,0,0,0,0 in one run). The store is the real GlobalStore; only the
// follower's message delay is simulated, with timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalStore } from '../../packages/core/src/state/global-store.ts';
import { randomId } from '../../packages/core/src/random-id.ts';
import type { Snapshot } from '../../packages/core/src/state/protocol.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** update(n => n + 1) until the key reaches `target`, as UpdateQueue does; resolves to its commits. */
async function countTo(store: GlobalStore, clientId: string, target: number, delayMs: number, order: string[]): Promise<number> {
  const address = { name: 'turns', key: 'count', persist: false };
  let seen: Snapshot = await store.read(address.name, address.key, false);
  let committed = 0;
  for (;;) {
    const value = (seen.value as number | undefined) ?? 0;
    if (value >= target) return committed;
    await sleep(delayMs); // the request on its way
    const result = await store.commit({ ...address, clientId, values: [value + 1], expectedEpoch: seen.epoch, expectedVersion: seen.version, commitId: randomId() });
    await sleep(delayMs); // the answer on its way
    if (result.ok) {
      committed++;
      order.push(clientId);
      seen = { epoch: result.epoch, version: result.version, value: value + 1 };
    } else seen = result.current;
  }
}

// 40 ms: a round trip (80 ms) longer than a first turn (50 ms), so the turn must grow to fit it.
for (const delayMs of [5, 40]) {
  test(`a client whose messages take ${delayMs} ms each way takes turns with one that answers at once`, async () => {
    const store = new GlobalStore();
    const target = 80;
    const order: string[] = [];
    // The fast one starts as the slow one's first request lands. Until the slow one has lost once the
    // store cannot know it wants to write, so the fast one runs free; from then on they alternate.
    const [fast, slow] = await Promise.all([
      sleep(delayMs).then(() => countTo(store, 'fast', target, 0, order)),
      countTo(store, 'slow', target, delayMs, order),
    ]);
    assert.equal(fast + slow, target, 'no update lost');
    const from = order.indexOf('slow', order.indexOf('slow') + 1);
    const to = order.lastIndexOf('slow');
    const runs = order.slice(from, to + 1).join(' ').split('slow').map((run) => run.trim().split(' ').filter(Boolean).length);
    assert.ok(slow >= 5 && Math.max(...runs) <= 4, `the slow client committed ${slow} times; between its 2nd and last commits the fast one committed at most ${Math.max(...runs)} in a row: ${order.join(',')}`);
  });
}
