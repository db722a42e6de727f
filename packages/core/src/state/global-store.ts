// The store logic, written once: the SharedWorker, a leader tab and the in-tab fallback all run it.
// Every key has a version; a write commits only if the writer saw the current version
// (compare-and-set), and subscribers are told of every commit in commit order, synchronously.
import { randomId } from '../random-id.js';
import {
  addressKey,
  type CommitEvent,
  type CommitRequest,
  type CommitResult,
  type RestoreRequest,
  type SeenVersion,
  type Snapshot,
  type StoreState,
} from './protocol.js';
import { CommitTurns } from './commit-turns.js';
import type { StorePersistence } from './store-persistence.js';

/** Who gets commit events: one connection (tab or worker), however many callbacks it has. */
export interface StoreSubscriber {
  notify(event: CommitEvent): void;
}

interface Entry {
  name: string;
  key: string;
  version: number;
  value: unknown;
  persist: boolean;
  /** Set while the persisted record is read; every operation on the key waits for it. */
  loading?: Promise<void>;
  /** Why the persisted record was not used; reported until the key is set. */
  warning?: string;
  /** Subscriber → ids of its callbacks, so a re-sent subscribe request counts once. */
  subscribers: Map<StoreSubscriber, Set<string>>;
  /** Created at the first conflict on the key. */
  turns?: CommitTurns;
  /** Set while the value is a restore (RestoreRequest): the gone store's version it came from. */
  restored?: SeenVersion;
  /** The commit that made the value, handed to clients so they can offer it to a restarted store. */
  commitId?: string;
}

/** Commit ids remembered to answer a re-sent request; a retry comes within moments. */
const rememberedCommits = 4096;

export class GlobalStore {
  /** A new lineage of versions; a replica promoted to store keeps its leader's epoch. */
  epoch: string;
  /** Called after every commit (the leader tab broadcasts it to replicas). */
  onCommit?: (event: CommitEvent) => void;
  private readonly entries = new Map<string, Entry>();
  private readonly recentCommits = new Map<string, number>();

  constructor(public persistence?: StorePersistence, epoch = randomId()) {
    this.epoch = epoch;
  }

  async read(name: string, key: string, persist: boolean): Promise<Snapshot> {
    const entry = await this.ready(name, key, persist);
    return this.snapshot(entry);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const { name, key, values, commitId } = request;
    const entry = await this.ready(name, key, request.persist);
    const committed = this.recentCommits.get(commitId);
    if (committed !== undefined) return { ok: true, epoch: this.epoch, version: committed };
    if (request.expectedVersion !== undefined) {
      const current = request.expectedEpoch === this.epoch && request.expectedVersion === entry.version;
      const turns = entry.turns;
      if (!current || (turns && !turns.mayCommit(request.clientId, current))) {
        await (entry.turns ??= new CommitTurns()).waitForTurn(request.clientId);
        return { ok: false, current: this.snapshot(entry) };
      }
      turns?.committed(request.clientId);
    }
    const event: CommitEvent = { name, key, epoch: this.epoch, version: entry.version + 1, values, commitId };
    // Subscribers hear of the commit at once; the writer's answer waits until it is on disk.
    const warning = await this.publish(entry, event);
    return { ok: true, epoch: this.epoch, version: event.version + values.length - 1, warning };
  }

  /**
   * A client's value from a store that is gone (RestoreRequest). Taken if this store has no value of
   * the key, or only an older restore from the same lineage that no commit has built on; the first
   * offer of a version wins and offers of it from other clients are answered as already taken.
   */
  async restore({ name, key, persist, from, value, commitId }: RestoreRequest): Promise<Snapshot> {
    const entry = await this.ready(name, key, persist);
    const restored = entry.restored;
    const replaces = entry.version === 0 || (restored !== undefined && restored.epoch === from.epoch && restored.version < from.version);
    if (replaces) {
      // Under the commit id that made the value, so a re-send of that commit is answered as done.
      const event: CommitEvent = { name, key, epoch: this.epoch, version: entry.version + 1, values: [value], commitId: commitId ?? `restore:${randomId()}`, restoredFrom: from };
      await this.publish(entry, event);
    }
    return this.snapshot(entry);
  }

  async subscribe(subscriber: StoreSubscriber, name: string, key: string, persist: boolean, ids: string[]): Promise<Snapshot> {
    const entry = await this.ready(name, key, persist);
    const own = entry.subscribers.get(subscriber) ?? new Set();
    for (const id of ids) own.add(id);
    entry.subscribers.set(subscriber, own);
    return this.snapshot(entry);
  }

  unsubscribe(subscriber: StoreSubscriber, name: string, key: string, ids: string[]): void {
    const entry = this.entries.get(addressKey(name, key));
    const own = entry?.subscribers.get(subscriber);
    if (!entry || !own) return;
    for (const id of ids) own.delete(id);
    if (own.size === 0) entry.subscribers.delete(subscriber);
  }

  /** A client is gone: it leaves every line it waits in. */
  forgetClient(clientId: string): void {
    for (const entry of this.entries.values()) entry.turns?.leave(clientId);
  }

  describe(name: string, key: string): { version: number; subscribers: number } {
    const entry = this.entries.get(addressKey(name, key));
    let subscribers = 0;
    for (const ids of entry?.subscribers.values() ?? []) subscribers += ids.size;
    return { version: entry?.version ?? 0, subscribers };
  }

  exportState(): StoreState {
    const entries = [...this.entries.values()]
      .filter((entry) => entry.version > 0)
      .map(({ name, key, version, value, persist }) => ({ name, key, version, value, persist }));
    return { epoch: this.epoch, entries };
  }

  /** Replica side: merges a leader's state, newest version of each key wins. */
  importState(state: StoreState): void {
    this.epoch = state.epoch;
    for (const { name, key, version, value, persist } of state.entries) {
      const entry = this.entry(name, key, persist);
      // The state carries no commit ids: an imported value's commit is not known here.
      if (version > entry.version) Object.assign(entry, { version, value, restored: undefined, commitId: undefined });
    }
  }

  /** Replica side: applies a commit the leader broadcast. */
  applyCommit(event: CommitEvent): void {
    this.epoch = event.epoch;
    const entry = this.entry(event.name, event.key, false);
    if (event.version > entry.version) this.apply(entry, event);
  }

  /** Applies a commit, tells every subscriber at once, then resolves once it is on disk (its warning if not). */
  private async publish(entry: Entry, event: CommitEvent): Promise<string | undefined> {
    this.apply(entry, event);
    for (const subscriber of entry.subscribers.keys()) subscriber.notify(event);
    this.onCommit?.(event);
    return entry.persist ? this.persistence?.write(entry.name, entry.key, entry.version, entry.value) : undefined;
  }

  private apply(entry: Entry, event: CommitEvent): void {
    entry.version = event.version + event.values.length - 1;
    entry.value = event.values[event.values.length - 1];
    entry.warning = undefined;
    // Any other commit builds on the value: it is no longer the restore.
    entry.restored = event.restoredFrom;
    entry.commitId = event.commitId;
    this.recentCommits.set(event.commitId, entry.version);
    if (this.recentCommits.size > rememberedCommits) {
      this.recentCommits.delete(this.recentCommits.keys().next().value as string);
    }
  }

  private snapshot(entry: Entry): Snapshot {
    const snapshot: Snapshot = { epoch: this.epoch, version: entry.version };
    if (entry.version > 0) snapshot.value = entry.value;
    if (entry.warning) snapshot.warning = entry.warning;
    if (entry.restored) snapshot.restoredFrom = entry.restored;
    if (entry.commitId) snapshot.commitId = entry.commitId;
    return snapshot;
  }

  /**
   * The entry, once its persisted record (if any) is loaded. Operations that arrive during the load all
   * wait for the same promise and resume in arrival order; later ones find it loaded.
   */
  private async ready(name: string, key: string, persist: boolean): Promise<Entry> {
    const entry = this.entry(name, key, persist);
    if (entry.loading) await entry.loading;
    return entry;
  }

  private entry(name: string, key: string, persist: boolean): Entry {
    const address = addressKey(name, key);
    let entry = this.entries.get(address);
    if (!entry) {
      entry = { name, key, version: 0, value: undefined, persist: false, subscribers: new Map() };
      this.entries.set(address, entry);
    }
    if (persist && !entry.persist) this.startPersisting(entry);
    return entry;
  }

  /** A key becomes persisted when any tab asks: load it if this store never set it, else save what it has. */
  private startPersisting(entry: Entry): void {
    entry.persist = true;
    const persistence = this.persistence;
    if (!persistence) return;
    if (entry.version > 0) {
      void persistence.write(entry.name, entry.key, entry.version, entry.value);
      return;
    }
    entry.loading = persistence
      .read(entry.name, entry.key)
      .then((record) => {
        if (record.found && entry.version === 0) Object.assign(entry, { version: record.version, value: record.value });
        else if (!record.found && record.warning) {
          entry.warning = record.warning;
          console.warn(record.warning);
        }
      })
      .finally(() => (entry.loading = undefined));
  }
}
