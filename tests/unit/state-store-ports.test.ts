// A tab that gave up waiting on its first port to a SharedWorker store greets it again on a second
// (shared-worker-transport.ts). The store may then hear both hellos, in either order: it must count
// the tab once, serve it on the newer port, and keep its place in line. Real StoreHost, GlobalStore
// and Comlink over a structured-cloning channel; only the ports' order is the test's doing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrap, type Remote } from 'comlink';
import { GlobalStore } from '../../packages/core/src/state/global-store.ts';
import { memoryChannel } from '../../packages/core/src/state/memory-channel.ts';
import type { ClientIdentity, GlobalStoreApi } from '../../packages/core/src/state/protocol.ts';
import { StoreHost } from '../../packages/core/src/state/store-host.ts';

const tab: ClientIdentity = { id: 'tab-a', lockName: 'tabwise-test:tab-a' };

/** A port to `host`, as the SharedWorker's 'connect' hands it over. */
function openPort(host: StoreHost): Remote<GlobalStoreApi> {
  const [clientEnd, hostEnd] = memoryChannel();
  host.accept(hostEnd);
  return wrap<GlobalStoreApi>(clientEnd);
}

/** Resolves with the greeting, or with 'no answer' once `ms` have passed without one. */
function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'no answer'> {
  return Promise.race([promise, new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), ms))]);
}

for (const order of ['the first attempt first', 'the second attempt first'] as const) {
  test(`a tab greets the store on a second port (${order}): it is counted once and served on the newer port`, async () => {
    const host = new StoreHost('shared-worker', new GlobalStore());
    const [first, second] = [openPort(host), openPort(host)];
    const greetings =
      order === 'the first attempt first'
        ? [first.hello(tab, 1), second.hello(tab, 2)]
        : [second.hello(tab, 2), first.hello(tab, 1)].reverse(); // called in that order, listed first to second
    const [firstGreeting, secondGreeting] = await Promise.all(greetings.map((greeting) => answerWithin(greeting, 200)));
    assert.equal(typeof secondGreeting === 'object' && secondGreeting.hostId, host.hostId, 'the newer port is answered');
    if (order === 'the second attempt first') assert.equal(firstGreeting, 'no answer', 'a stale port that speaks late is closed, not served');

    assert.equal(host.stats('default', 'count').connections, 1, 'one tab, one connection');
    const result = await second.commit({ name: 'default', key: 'count', clientId: tab.id, persist: false, values: [1], commitId: 'tab-a:0' });
    assert.deepEqual(result.ok && result.version, 1);
    assert.equal((await second.read('default', 'count', false)).value, 1);
  });
}

test('two tabs greeting one store are two connections', async () => {
  const host = new StoreHost('shared-worker', new GlobalStore());
  const [a, b] = [openPort(host), openPort(host)];
  await Promise.all([a.hello(tab, 1), b.hello({ id: 'tab-b', lockName: 'tabwise-test:tab-b' }, 1)]);
  assert.equal(host.stats('default', 'count').connections, 2);
});
