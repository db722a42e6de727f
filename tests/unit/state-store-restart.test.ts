// A store that restarts empty while its clients live on (WebKitGTK ends a SharedWorker that pages
// still use; docs/decisions/browsers.md) is re-seeded by them: each offers the newest value it knew,
// so values outlive the store. Real StoreClient, GlobalStore, StoreHost and Comlink over a
// structured-cloning channel; only the restart itself is the test's doing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalStateHandle } from '../../packages/core/src/state/global-state-handle.ts';
import { GlobalStore } from '../../packages/core/src/state/global-store.ts';
import { memoryChannel } from '../../packages/core/src/state/memory-channel.ts';
import type { ClientIdentity } from '../../packages/core/src/state/protocol.ts';
import { StoreClient } from '../../packages/core/src/state/store-client.ts';
import { StoreHost } from '../../packages/core/src/state/store-host.ts';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from '../../packages/core/src/state/store-transport.ts';
import { waitFor } from '../support/eventually.ts';

/** One store at a time; `restart()` ends it for every link and an empty one answers from then on. */
class RestartingStore implements GlobalStoreTransport {
  readonly name = 'in-process';
  store = new GlobalStore();
  host = new StoreHost('in-process', this.store);
  /** Set by a test to hold a client's connections back. */
  beforeConnect?: (client: ClientIdentity) => Promise<void>;
  private endCurrent!: () => void;
  private ended = this.nextEnd();

  canBeUsed(): boolean {
    return true;
  }

  async connect(client: ClientIdentity): Promise<StoreLink> {
    await this.beforeConnect?.(client);
    const lost = this.ended;
    const [clientEnd, hostEnd] = memoryChannel();
    this.host.accept(hostEnd);
    const link = await openStoreLink(clientEnd, client, { close: () => clientEnd.close() });
    return { ...link, lost };
  }

  restart(): void {
    this.endCurrent();
    this.ended = this.nextEnd();
    this.store = new GlobalStore();
    this.host = new StoreHost('in-process', this.store);
  }

  /**
   * The next commit is made and pushed, then the store ends once `until` resolves, before the
   * writer has its answer (in a browser: while the answer waits for the disk).
   */
  endAfterNextCommit(until: () => Promise<unknown>): void {
    const store = this.store;
    const commit = store.commit.bind(store);
    store.commit = async (request) => {
      store.commit = commit;
      const result = await commit(request);
      await until();
      this.restart();
      return result;
    };
  }

  private nextEnd(): Promise<void> {
    return new Promise((resolve) => (this.endCurrent = resolve));
  }
}

/** A tab: its own StoreClient on the shared store, and one handle per key. */
function tab(store: RestartingStore) {
  const client = new StoreClient(store);
  const state = <T>(key: string, defaultValue: T) => new GlobalStateHandle(key, 'default', defaultValue, false, client);
  return Object.assign(state, { client });
}

test('after the store restarts empty, values come back from the tabs and subscribers hear nothing twice', async () => {
  const store = new RestartingStore();
  const [writer, watcher] = [tab(store), tab(store)];
  await writer('score', 0).set(7);
  await writer('list', [] as string[]).update((list) => [...list, 'a']);
  const heard: number[] = [];
  watcher('score', 0).subscribe((value) => heard.push(value));
  await waitFor("the watcher's first value", () => heard, (calls) => calls.length >= 1);
  const firstHost = (await writer('score', 0).stats()).hostId;

  store.restart();
  assert.equal(await writer('score', 0).get(), 7, 'the value outlived the store');
  assert.deepEqual(await writer('list', [] as string[]).get(), ['a']);
  assert.equal(await writer('never-set', 'default').get(), 'default', 'a key no tab knew keeps its default');
  assert.notEqual((await writer('score', 0).stats()).hostId, firstHost, 'a new store answered');

  // The watcher resubscribed on the new store, which holds the restored 7: not news to it.
  assert.equal(await writer('score', 0).update((n) => n + 1), 8);
  await waitFor("the watcher's second value", () => heard, (calls) => calls.length >= 2);
  assert.deepEqual(heard, [7, 8]);
  assert.equal(await watcher('score', 0).get(), 8);
});

test('a subscriber that heard the default hears it once, though the store restarts before anything is committed', async () => {
  // WebKit's 16 tabs: the store was replaced while the first tabs loaded, before the first update;
  // tab 0's subscriber heard the default 0 from each store (0, 0, 1, 2, …).
  const store = new RestartingStore();
  const [writer, watcher] = [tab(store), tab(store)];
  const heard: number[] = [];
  watcher('count', 0).subscribe((value) => heard.push(value));
  await waitFor("the watcher's first value", () => heard, (calls) => calls.length >= 1);
  const firstHost = (await watcher('count', 0).stats()).hostId;

  store.restart();
  assert.notEqual((await watcher('count', 0).stats()).hostId, firstHost, 'a new store answered');
  assert.equal(await writer('count', 0).update((n) => n + 1), 1);
  await waitFor("the watcher's second value", () => heard, (calls) => calls.length >= 2);
  assert.deepEqual(heard, [0, 1]);
});

test('the newest offer wins over an older one nobody built on, and never over a commit made since', async () => {
  const store = new RestartingStore();
  const [stale, fresh, late] = [tab(store), tab(store), tab(store)];
  await stale('motto', '').set('first'); // stale knows version 1
  await fresh('motto', '').set('second'); // fresh knows version 2
  await late('motto', '').set('third'); // late knows version 3

  store.restart();
  assert.equal(await stale('motto', '').get(), 'first', 'only the stale tab has offered yet');
  assert.equal(await fresh('motto', '').get(), 'second', "the newer offer replaced the older restore");
  await fresh('motto', '').update((motto) => `${motto}, edited`); // a commit on the restored value
  assert.equal(await late('motto', '').get(), 'second, edited', 'an offer after a commit is refused');
  assert.equal(await stale('motto', '').get(), 'second, edited');
});

test('concurrent updates right after a restart all land on the restored value', async () => {
  const store = new RestartingStore();
  const tabs = [tab(store), tab(store), tab(store), tab(store)];
  await Promise.all(tabs.map((state) => state('count', 0).update((n) => n + 1)));
  assert.equal(await tabs[0]('count', 0).get(), 4);

  store.restart();
  await Promise.all(tabs.flatMap((state) => Array.from({ length: 25 }, () => state('count', 0).update((n) => n + 1))));
  assert.equal(await tabs[3]('count', 0).get(), 104, 'the 100 updates built on the restored 4');
});

test('a commit whose answer was lost with the store counts once, though a tab that heard it re-seeds the new store first', async () => {
  const store = new RestartingStore();
  const [writer, watcher] = [tab(store), tab(store)];
  await writer('count', 0).set(5);
  const heard: number[] = [];
  watcher('count', 0).subscribe((value) => heard.push(value));
  await waitFor("the watcher's first value", () => heard, (calls) => calls.includes(5));

  // The watcher hears 6, then the store ends before the writer's answer. The writer reconnects only
  // once the watcher has offered the new store its 6, then sends its commit again.
  store.endAfterNextCommit(() => waitFor('the watcher to hear 6', () => heard, (calls) => calls.includes(6)));
  store.beforeConnect = async (client) => {
    if (client.id !== writer.client.identity.id) return;
    await waitFor('the watcher to re-seed the new store', () => store.store.describe('default', 'count'), ({ version }) => version > 0);
  };
  assert.equal(await writer('count', 0).update((n) => n + 1), 6);
  assert.equal(await writer('count', 0).get(), 6, 'the update ran once: the re-sent commit was known to the new store');
  assert.equal(await watcher('count', 0).get(), 6);
  assert.deepEqual(heard, [5, 6], 'the watcher heard each value once');
});
