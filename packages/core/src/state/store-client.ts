// This context's side of one transport: the link to the store (reconnected if the store goes away),
// the subscribe() callbacks per key fed from `{ commit }` pushes, and one UpdateQueue per key.
import { randomId } from '../random-id.js';
import type { Remote } from 'comlink';
import { holdLifetimeLock } from '../lifetime/lifetime-lock.js';
import {
  addressKey,
  isCommitMessage,
  type ClientIdentity,
  type CommitEvent,
  type CommitRequest,
  type CommitResult,
  type GlobalStoreApi,
  type RestoreRequest,
  type Snapshot,
  type StoreStats,
} from './protocol.js';
import type { GlobalStoreTransport, StoreLink } from './store-transport.js';
import type { GlobalStateTransportName } from './types.js';
import { UpdateQueue, type QueueClient } from './update-queue.js';

interface Listener {
  id: string;
  callback: (value: unknown) => void;
  defaultValue: unknown;
  /** The store counts it (its subscribe request was answered). */
  registered: boolean;
  removed: boolean;
  /** Last delivered epoch and version: values arrive in version order, each once. */
  epoch?: string;
  version: number;
}

interface KeyState {
  name: string;
  key: string;
  /** Whether any state of this key asked for persistence. */
  persist: boolean;
  listeners: Map<string, Listener>;
  queue?: UpdateQueue;
}

export class StoreClient implements QueueClient {
  readonly identity: ClientIdentity;
  private link?: StoreLink;
  private linking?: Promise<StoreLink>;
  private alive?: Promise<void>;
  private witness?: Promise<void>;
  private readonly keys = new Map<string, KeyState>();
  private readonly warned = new Set<string>();
  private listenerCount = 0;
  private commitCount = 0;

  constructor(private readonly transport: GlobalStoreTransport) {
    const id = randomId();
    this.identity = { id, lockName: `tabwise-global-store:client:${id}` };
  }

  get transportName(): GlobalStateTransportName {
    return this.link?.greeting.transport ?? this.transport.name;
  }

  /** The current link, connecting first if needed. */
  connection(): Promise<StoreLink> {
    this.linking ??= this.connect().catch((error) => {
      this.linking = undefined;
      throw error;
    });
    return this.linking;
  }

  read(name: string, key: string, persist: boolean): Promise<Snapshot> {
    return this.call((api) => api.read(name, key, persist)).then((snapshot) => {
      this.warn(name, key, snapshot.warning);
      return snapshot;
    });
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    return this.call((api) => api.commit(request) as Promise<CommitResult>);
  }

  nextCommitId(): string {
    return `${this.identity.id}:${this.commitCount++}`;
  }

  stats(name: string, key: string): Promise<StoreStats> {
    return this.call((api) => api.stats(name, key));
  }

  attachPort(port: MessagePort): void {
    this.connection().then(
      (link) => link.attachPort(port),
      (error) => report(error),
    );
  }

  queue(name: string, key: string, persist: boolean): UpdateQueue {
    return this.queueOf(this.keyState(name, key, persist));
  }

  subscribe(name: string, key: string, persist: boolean, callback: (value: unknown) => void, defaultValue: unknown): () => void {
    const state = this.keyState(name, key, persist);
    const listener: Listener = { id: String(this.listenerCount++), callback, defaultValue, registered: false, removed: false, version: -1 };
    state.listeners.set(listener.id, listener);
    const unsubscribe = () => this.call((api) => api.unsubscribe(name, key, [listener.id])).catch(report);
    this.call((api) => api.subscribe(name, key, state.persist, [listener.id])).then((snapshot) => {
      if (listener.removed) return void unsubscribe();
      listener.registered = true;
      this.warn(name, key, snapshot.warning);
      this.learnAndDeliver(state, snapshot, [listener]);
    }, report);
    return () => {
      if (listener.removed) return;
      listener.removed = true;
      state.listeners.delete(listener.id);
      if (listener.registered) void unsubscribe();
    };
  }

  /** Runs a request on the current link; if the store goes away first, again on the next one. */
  private async call<R>(request: (api: Remote<GlobalStoreApi>) => Promise<R>): Promise<R> {
    for (;;) {
      const link = await this.connection();
      const answer = await Promise.race([request(link.api).then((value) => ({ value })), link.lost.then(() => undefined)]);
      if (answer) return answer.value;
    }
  }

  private async connect(): Promise<StoreLink> {
    // Held before the first greeting, so the store can't take it first and think we are gone.
    await (this.alive ??= holdLifetimeLock(this.identity.lockName));
    // A store of a new lineage (WebKit ends a SharedWorker that pages still use, and a fresh one starts
    // empty) is offered the newest value this context knew of each key, in the hello.
    const offered = this.offers();
    const link = await this.transport.connect({ ...this.identity, offers: offered.map(({ offer }) => offer) });
    link.endpoint.addEventListener('message', (message) => this.receive(link, (message as MessageEvent).data));
    this.link = link;
    void link.lost.then(() => this.reconnect(link));
    link.greeting.restored?.forEach((snapshot, index) => offered[index]?.state.queue?.learn(snapshot));
    const { witnessLock } = link.greeting;
    if (witnessLock) await (this.witness ??= holdLifetimeLock(witnessLock));
    return link;
  }

  /** The newest value this context knew of each key it has one of, as offers to a store. */
  private offers(): { state: KeyState; offer: RestoreRequest }[] {
    return [...this.keys.values()].flatMap((state) => {
      const known = state.queue?.latest();
      if (!known || known.version === 0) return [];
      const offer = { name: state.name, key: state.key, persist: state.persist, from: { epoch: known.epoch, version: known.version }, value: known.value, commitId: known.commitId };
      return [{ state, offer }];
    });
  }

  /**
   * The store went away (a SharedWorker crash, a leader tab closed): connect again and resubscribe. A
   * witness connects at once even with no subscription: the next store waits for its greeting and the
   * offers in it (store-witnesses.ts).
   */
  private reconnect(lost: StoreLink): void {
    if (this.link !== lost) return;
    lost.close();
    this.link = undefined;
    this.linking = undefined;
    // Failing here is not reported: the next call connects again and gets the error.
    if (lost.greeting.witnessLock) this.connection().catch(() => {});
    for (const state of this.keys.values()) {
      const ids = [...state.listeners.values()].filter((listener) => listener.registered).map((listener) => listener.id);
      if (ids.length === 0) continue;
      this.call((api) => api.subscribe(state.name, state.key, state.persist, ids)).then((snapshot) => {
        const listeners = [...state.listeners.values()].filter((listener) => listener.registered);
        this.learnAndDeliver(state, snapshot, listeners);
      }, report);
    }
  }

  private receive(link: StoreLink, data: unknown): void {
    if (link !== this.link || !isCommitMessage(data)) return;
    const { name, key, epoch, version, values, restoredFrom, commitId }: CommitEvent = data.commit;
    const state = this.keys.get(addressKey(name, key));
    if (!state || state.listeners.size === 0) return;
    const listeners = [...state.listeners.values()];
    const last = values.length - 1;
    values.slice(0, last).forEach((value, index) => this.deliver({ epoch, version: version + index, value }, listeners, false));
    this.learnAndDeliver(state, { epoch, version: version + last, value: values[last], restoredFrom, commitId }, listeners);
  }

  /** The value becomes the key's newest known (kept privately), and listeners get copies of it. */
  private learnAndDeliver(state: KeyState, seen: Snapshot, listeners: Listener[]): void {
    this.queueOf(state).learn(seen);
    this.deliver(seen, listeners, true);
  }

  /**
   * Calls each listener that has not seen this version: the first gets `value` unless the client keeps
   * it, the others copies. Not news to a listener: a value restored from the version it last saw, and
   * a new store's version 0 (nothing committed: the default) when it last heard the default too.
   */
  private deliver({ epoch, version, value, restoredFrom }: Snapshot, listeners: Listener[], kept: boolean): void {
    let handedOut = kept;
    for (const listener of listeners) {
      if (listener.removed || (listener.epoch === epoch && version <= listener.version)) continue;
      const seenBefore =
        (restoredFrom && listener.epoch === restoredFrom.epoch && listener.version === restoredFrom.version) || (version === 0 && listener.version === 0);
      listener.epoch = epoch;
      listener.version = version;
      if (seenBefore) continue;
      let delivered: unknown;
      if (version === 0) delivered = structuredClone(listener.defaultValue);
      else {
        delivered = handedOut ? structuredClone(value) : value;
        handedOut = true;
      }
      try {
        listener.callback(delivered);
      } catch (error) {
        report(error);
      }
    }
  }

  private queueOf(state: KeyState): UpdateQueue {
    state.queue ??= new UpdateQueue(this, state.name, state.key, () => state.persist);
    return state.queue;
  }

  private keyState(name: string, key: string, persist: boolean): KeyState {
    const address = addressKey(name, key);
    let state = this.keys.get(address);
    if (!state) {
      state = { name, key, persist, listeners: new Map() };
      this.keys.set(address, state);
    }
    state.persist ||= persist;
    return state;
  }

  /** A corrupt persisted record: said once per key in this context. */
  private warn(name: string, key: string, warning: string | undefined): void {
    const address = addressKey(name, key);
    if (!warning || this.warned.has(address)) return;
    this.warned.add(address);
    console.warn(warning);
  }
}

/** A subscriber's exception must not stop the others; surface it like an uncaught error. */
function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}
