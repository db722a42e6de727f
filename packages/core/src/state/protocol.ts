// What crosses between a tab (or worker) and the store. Requests are method calls through Comlink on
// `GlobalStoreApi`; commits are pushed as plain `{ commit }` messages on the same endpoint, one per
// commit, so fan-out costs one postMessage per subscribed tab and no round trip.
import type { GlobalStateTransportName } from './types.js';

/** The value of a key at one version. `version` 0: never set, `value` absent (the caller's default applies). */
export interface Snapshot {
  /** Identifies the store's lineage of versions: a restarted store starts a new epoch. */
  epoch: string;
  version: number;
  value?: unknown;
  /** Set while the key's persisted record could not be loaded; names the key. */
  warning?: string;
  /** Set while the value is one a client restored from a store that is gone (see RestoreRequest). */
  restoredFrom?: SeenVersion;
  /** The commit that made the value (see RestoreRequest.commitId). */
  commitId?: string;
}

/** A version of a key in one store's lineage. */
export interface SeenVersion {
  epoch: string;
  version: number;
}

/**
 * After the store restarted (WebKit ends a SharedWorker that pages still use), each client offers the
 * newest value it saw from the store that is gone, in its hello (ClientHello). The new store takes one
 * only for a key it has no value of, or to replace an older restore from the same lineage that nobody
 * has built on yet.
 */
export interface RestoreRequest {
  name: string;
  key: string;
  persist: boolean;
  from: SeenVersion;
  value: unknown;
  /**
   * The commit that made the value in the store that is gone. The new store takes it over, so the
   * writer of that commit, whose answer was lost with the old store, is told it is done when it
   * sends the commit again, instead of having its update run a second time.
   */
  commitId?: string;
}

export interface CommitRequest {
  name: string;
  key: string;
  /** Who asks: tabs that lost a compare-and-set get their turn in order (see GlobalStore). */
  clientId: string;
  persist: boolean;
  /** Compare-and-set against this epoch and version; both absent for a blind write. */
  expectedEpoch?: string;
  expectedVersion?: number;
  /** One or more values committed in order as consecutive versions (one tab's queued updates). */
  values: unknown[];
  /** Unique per attempt, so a request re-sent after a lost connection is not committed twice. */
  commitId: string;
}

export type CommitResult =
  | { ok: true; epoch: string; version: number; warning?: string }
  | { ok: false; current: Snapshot };

/** Pushed to subscribed endpoints: `values[i]` is the value at version `version + i`. */
export interface CommitEvent {
  name: string;
  key: string;
  epoch: string;
  version: number;
  values: unknown[];
  commitId: string;
  /** Set when the commit is a restore (RestoreRequest): the version of the store that is gone. */
  restoredFrom?: SeenVersion;
}

export interface CommitMessage {
  commit: CommitEvent;
}

export interface StoreGreeting {
  transport: GlobalStateTransportName;
  hostId: string;
  epoch: string;
  /** Held by the store for its lifetime: granted to a waiting client once the store is gone. */
  hostLock: string;
  /** The page uses a strategy that a worker runs itself (BroadcastChannel): connect without the port. */
  connectYourself?: boolean;
  /** The key's value after each of the hello's offers, in the same order (ClientHello.offers). */
  restored?: Snapshot[];
  /**
   * A store that can be replaced under its clients (the SharedWorker's) names the lock that makes this
   * client its witness, held for the client's life: a store that replaces it waits for the client's
   * offers (store-witnesses.ts).
   */
  witnessLock?: string;
}

export interface ClientIdentity {
  id: string;
  /** Held by the client for its lifetime, so the store can drop its subscriptions when it dies. */
  lockName: string;
}

/** What a client greets a store with: who it is, and the newest value it knew of each key. */
export interface ClientHello extends ClientIdentity {
  /**
   * Offered in the hello itself, so that they are in before anything else runs: a restarted SharedWorker
   * store serves nobody until the clients of the store it replaces have greeted it (StoreWitnesses).
   * A store ignores an offer of its own epoch.
   */
  offers?: RestoreRequest[];
}

export interface StoreStats {
  transport: GlobalStateTransportName;
  hostId: string;
  version: number;
  subscribers: number;
  connections: number;
}

/** Everything a store holds, sent to a tab that keeps a replica (the leader-tab strategy). */
export interface StoreState {
  epoch: string;
  entries: { name: string; key: string; version: number; value: unknown; persist: boolean }[];
}

/** One connection's view of the store, implemented by StoreConnection and called through Comlink. */
export interface GlobalStoreApi {
  /**
   * `attempt` counts the ports this client has greeted one store on (1, then 2 after a greeting that
   * never came): the store keeps the connection of the newest, whichever hello arrives first.
   */
  hello(client: ClientHello, attempt?: number): StoreGreeting | Promise<StoreGreeting>;
  read(name: string, key: string, persist: boolean): Promise<Snapshot>;
  commit(request: CommitRequest): Promise<CommitResult>;
  /** Registers callbacks by id (idempotent, so a re-sent request counts once); resolves to the current value. */
  subscribe(name: string, key: string, persist: boolean, ids: string[]): Promise<Snapshot>;
  unsubscribe(name: string, key: string, ids: string[]): void;
  stats(name: string, key: string): StoreStats;
  /** Serves another endpoint (a dedicated worker's port) from the same store. */
  attachPort(port: MessagePort): void;
  exportState(): StoreState;
}

/** Map key for a (name, key) pair; the length prefix keeps it unambiguous. */
export function addressKey(name: string, key: string): string {
  return `${name.length}:${name}${key}`;
}

export function isCommitMessage(data: unknown): data is CommitMessage {
  return typeof data === 'object' && data !== null && 'commit' in data;
}
