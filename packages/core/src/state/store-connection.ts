// One tab's or worker's connection to a store: the GlobalStoreApi it calls through Comlink, the
// subscriptions it holds, and the watch on its lifetime lock that drops them when it dies.
import type { Endpoint } from 'comlink';
import type { GlobalStore, StoreSubscriber } from './global-store.js';
import {
  addressKey,
  type ClientHello,
  type CommitEvent,
  type CommitMessage,
  type CommitRequest,
  type CommitResult,
  type GlobalStoreApi,
  type Snapshot,
  type StoreGreeting,
  type StoreState,
  type StoreStats,
} from './protocol.js';
import { watchLifetimeLock } from '../lifetime/lifetime-lock.js';

/** What a connection needs from the host that accepted it. */
export interface ConnectionOwner {
  readonly store: GlobalStore;
  /** Answered once the host holds its lifetime lock, which the client then watches. */
  greeting(connection: StoreConnection, client: ClientHello, attempt: number): Promise<StoreGreeting>;
  /** Reads, commits and subscriptions wait for it (StoreHost.opened). */
  readonly opened: Promise<void>;
  stats(name: string, key: string): StoreStats;
  accept(endpoint: Endpoint): StoreConnection;
  drop(connection: StoreConnection): void;
}

export class StoreConnection implements GlobalStoreApi, StoreSubscriber {
  private readonly subscriptions = new Map<string, { name: string; key: string; ids: Set<string> }>();
  private stopWatching?: () => void;
  /** The client's id, once it said hello. */
  clientId?: string;
  /** Set once this connection stopped listening (its client gone, or greeting on another port). */
  ended = false;
  /** Ports this client handed over (its dedicated workers): they go when it goes. */
  private readonly attached = new Set<StoreConnection>();

  /**
   * @param pushesCommits false where commits reach the client another way (the leader's broadcast).
   * @param clientLock the client's lifetime lock, where it is known before its hello (a follower's
   *   requests carry it): watched from the start, so a client that dies before greeting is dropped.
   */
  constructor(
    private readonly owner: ConnectionOwner,
    private readonly endpoint: Endpoint & { close?(): void },
    private readonly pushesCommits: boolean,
    clientLock?: string,
  ) {
    if (clientLock) this.stopWatching = watchLifetimeLock(clientLock, () => this.owner.drop(this));
  }

  hello(client: ClientHello, attempt = 1): Promise<StoreGreeting> {
    this.clientId = client.id;
    this.stopWatching ??= watchLifetimeLock(client.lockName, () => this.owner.drop(this));
    return this.owner.greeting(this, client, attempt);
  }

  async read(name: string, key: string, persist: boolean): Promise<Snapshot> {
    await this.owner.opened;
    return this.owner.store.read(name, key, persist);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    await this.owner.opened;
    return this.owner.store.commit(request);
  }

  async subscribe(name: string, key: string, persist: boolean, ids: string[]): Promise<Snapshot> {
    await this.owner.opened;
    if (this.ended) return this.owner.store.read(name, key, persist);
    const address = addressKey(name, key);
    const own = this.subscriptions.get(address) ?? { name, key, ids: new Set<string>() };
    for (const id of ids) own.ids.add(id);
    this.subscriptions.set(address, own);
    return this.owner.store.subscribe(this, name, key, persist, ids);
  }

  unsubscribe(name: string, key: string, ids: string[]): void {
    const own = this.subscriptions.get(addressKey(name, key));
    for (const id of ids) own?.ids.delete(id);
    if (own?.ids.size === 0) this.subscriptions.delete(addressKey(name, key));
    this.owner.store.unsubscribe(this, name, key, ids);
  }

  stats(name: string, key: string): StoreStats {
    return this.owner.stats(name, key);
  }

  attachPort(port: MessagePort): void {
    // A worker says hello (naming its own lifetime lock) only once it creates state, if ever.
    this.attached.add(this.owner.accept(port));
  }

  exportState(): StoreState {
    return this.owner.store.exportState();
  }

  notify(event: CommitEvent): void {
    if (this.pushesCommits) this.endpoint.postMessage({ commit: event } satisfies CommitMessage);
  }

  /** The client is gone: forget its subscriptions and its place in every line, and stop listening. */
  close(): void {
    this.detach();
    if (this.clientId) this.owner.store.forgetClient(this.clientId);
  }

  /** The client lives on through another connection: only this one's subscriptions go, and it stops listening. */
  detach(): void {
    this.ended = true;
    for (const connection of this.attached) this.owner.drop(connection);
    this.attached.clear();
    for (const { name, key, ids } of this.subscriptions.values()) this.owner.store.unsubscribe(this, name, key, [...ids]);
    this.subscriptions.clear();
    this.stopWatching?.();
    this.endpoint.close?.();
  }
}
