// Public types of global state: one value per key, shared by every tab of the origin.

/** How a global state reaches its store, in the order tabwise tries them. */
export type GlobalStateTransportName = 'shared-worker' | 'broadcast-channel' | 'in-tab' | 'in-process' | 'server';

export interface GlobalStateOptions {
  /** Keep the value in IndexedDB so it survives closing every tab. Default `false`. */
  persist?: boolean;
  /** Namespace: states with different names are different stores, even for the same key. Default `'default'`. */
  name?: string;
  /**
   * Force one strategy instead of the first usable one (`'shared-worker'` → `'broadcast-channel'` → `'in-tab'`; `'in-process'` in Node).
   * Meant for tests and debugging; a forced strategy that cannot be used fails every operation.
   */
  transport?: GlobalStateTransportName;
  /**
   * Share the value with every visitor of the site through a state server (`@tabwise/server`):
   * `wss://…`, or `ws://` to localhost. The transport is then `'server'`, values must be JSON, and a
   * browser profile keeps one WebSocket per server for all its tabs. `persist` does not apply (the
   * server's store keeps the values).
   */
  server?: string;
  /** Passed to the server's `authorize()` with every request (server states only). */
  token?: string;
  /**
   * How long a request waits for an unreachable server before it rejects with
   * GlobalStateTransportError, in milliseconds (server states only). Default 10 000.
   */
  timeout?: number;
}

/** What the store knows about one key, for tests and debugging. */
export interface GlobalStateStats {
  /** The strategy serving this state. */
  transport: GlobalStateTransportName;
  /** Changes when the store restarts (a new SharedWorker, a new leader tab). */
  hostId: string;
  /** Number of commits of this key; 0 while it has never been set. */
  version: number;
  /** Live `subscribe()` callbacks on this key, summed over every tab and worker (server: subscribed connections on the answering server process). */
  subscribers: number;
  /** Tabs and workers connected to the store, all keys and names together (server: WebSocket connections to the answering server process). */
  connections: number;
}

export interface GlobalState<T> {
  readonly key: string;
  readonly name: string;
  /**
   * The strategy in use. Known at once (the first strategy whose `canBeUsed()` is true); final once the
   * first operation has settled, since a strategy that fails to connect gives way to the next one.
   */
  readonly transport: GlobalStateTransportName;
  /** The current value: a private copy, or a copy of the default while no tab has set the key. */
  get(): Promise<T>;
  /** Commits `value` (copied at once, so later changes to it are not seen). */
  set(value: T): Promise<void>;
  /**
   * Commits `fn(prev)` by compare-and-set and resolves to it. `fn` runs in the calling tab on a private
   * copy of the latest value and runs again if another tab committed first, so it must not have side effects.
   */
  update(fn: (prev: T) => T | Promise<T>): Promise<T>;
  /** Calls `callback` with the current value as soon as it is known, then with every committed value in commit order. */
  subscribe(callback: (value: T) => void): () => void;
  /** Counts kept by the store (subscribers, connections), for tests and debugging. */
  stats(): Promise<GlobalStateStats>;
}
