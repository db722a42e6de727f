// One key's writes from one tab, committed in call order. Writes that queue up while a commit is in
// flight are applied one after another to the same snapshot and committed together by a single
// compare-and-set, each as its own version (group commit): under contention a tab pays one round
// trip per batch instead of one per update, and no update is lost or applied twice.
import { GlobalStateConflictError, GlobalStateValueError } from './errors.js';
import type { CommitRequest, CommitResult, SeenVersion, Snapshot } from './protocol.js';

export interface PendingWrite {
  /** Computes the next value from a private copy of the previous one (update). */
  fn?: (prev: unknown) => unknown;
  /** The value itself, already a private copy (set). */
  value?: unknown;
  /** The caller's default, used while the key has never been set. */
  defaultValue: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** What the queue needs from its client. */
export interface QueueClient {
  readonly identity: { id: string };
  read(name: string, key: string, persist: boolean): Promise<Snapshot>;
  commit(request: CommitRequest): Promise<CommitResult>;
  nextCommitId(): string;
}

/**
 * The newest value this context knows of the key, with its version: its own commits, the store's
 * answers and (through StoreClient) its subscriptions' pushes. A private copy, never handed to
 * callers: the base of the next compare-and-set, and what the context offers a restarted store.
 */
export interface Known extends SeenVersion {
  value?: unknown;
  /** The commit that made the value, when known: offered with it to a restarted store. */
  commitId?: string;
}

/** Past this many lost races in a row an update gives up instead of spinning forever. */
const maxAttempts = 1000;

export class UpdateQueue {
  private waiting: PendingWrite[] = [];
  private draining = false;
  /** Settles once every write pushed so far has settled. */
  private tail: Promise<unknown> = Promise.resolve();
  private known?: Known;
  /** The warning of the last commit, if it had one. */
  private lastWarning?: string;

  constructor(
    private readonly client: QueueClient,
    private readonly name: string,
    private readonly key: string,
    private readonly persist: () => boolean,
  ) {}

  push(write: Omit<PendingWrite, 'resolve' | 'reject'>): Promise<unknown> {
    const written = new Promise((resolve, reject) => {
      this.waiting.push({ ...write, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Start on a microtask: fn never runs inside update(), and writes made in one go form one batch.
      queueMicrotask(() => void this.drain());
    });
    this.tail = Promise.all([this.tail, written.catch(() => {})]);
    return written;
  }

  /** Keeps `known` if it is newer than what the queue knows (or from another store's lineage). */
  learn(known: Known): void {
    const current = this.known;
    if (!current || current.epoch !== known.epoch || known.version > current.version) this.known = known;
  }

  latest(): Known | undefined {
    return this.known;
  }

  /** Resolves once every write pushed so far has settled, so a read sees this tab's own writes. */
  settled(): Promise<unknown> {
    return this.tail;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.commitBatch(batch);
      } catch (error) {
        for (const write of batch) write.reject(error);
      }
    }
    this.draining = false;
  }

  /** Commits `batch`, which it updates in place, so that on an error the caller rejects what is left. */
  private async commitBatch(batch: PendingWrite[]): Promise<void> {
    for (let attempt = 1; batch.length > 0; attempt++) {
      if (attempt > maxAttempts) throw new GlobalStateConflictError(this.key, maxAttempts);
      // A batch that starts with set() does not depend on the current value: a blind write.
      const base = batch[0].fn ? (this.known ?? (await this.readKnown())) : undefined;
      const { values, latest, committed } = await this.apply(batch, base);
      batch.length = 0;
      for (const write of committed) batch.push(write);
      if (batch.length === 0) return;
      const commitId = this.client.nextCommitId();
      const result = await this.client.commit({
        name: this.name,
        key: this.key,
        clientId: this.client.identity.id,
        persist: this.persist(),
        expectedEpoch: base?.epoch,
        expectedVersion: base?.version,
        values,
        commitId,
      });
      if (result.ok) {
        // Once per run of failures (a full disk fails every write), not once per commit.
        if (result.warning && result.warning !== this.lastWarning) console.warn(result.warning);
        this.lastWarning = result.warning;
        this.learn({ epoch: result.epoch, version: result.version, value: latest, commitId });
        batch.forEach((write, index) => write.resolve(values[index]));
        return;
      }
      // Another tab committed first: run the batch again on the value it committed, with the writes
      // queued meanwhile.
      this.learn(result.current);
      for (const write of this.waiting.splice(0)) batch.push(write);
    }
  }

  /**
   * Runs the batch's writes in order. Each result is cloned once: that checks it can be sent and gives
   * the next write a copy it may mutate. A write whose fn throws, or whose result can't be cloned, is
   * rejected and left out; the next write builds on the value before it.
   */
  private async apply(batch: PendingWrite[], base: Known | undefined) {
    let latest = base && (base.version === 0 ? batch[0].defaultValue : base.value);
    const values: unknown[] = [];
    const committed: PendingWrite[] = [];
    for (const write of batch) {
      let value: unknown;
      let copy: unknown;
      try {
        value = write.fn ? await write.fn(structuredClone(latest)) : write.value;
      } catch (error) {
        write.reject(error);
        continue;
      }
      try {
        copy = write.fn ? structuredClone(value) : value;
      } catch (error) {
        write.reject(new GlobalStateValueError(this.key, error));
        continue;
      }
      latest = copy;
      values.push(value);
      committed.push(write);
    }
    return { values, latest, committed };
  }

  private async readKnown(): Promise<Known> {
    const snapshot = await this.client.read(this.name, this.key, this.persist());
    return { epoch: snapshot.epoch, version: snapshot.version, value: snapshot.value, commitId: snapshot.commitId };
  }
}
