// Values in this process's memory: the embedded default. They go when the process goes, and one
// process serves them (several processes need RedisStore).
import { randomBytes } from 'node:crypto';
import type { WireCommitResult, WireSnapshot } from '@tabwise/core/server-protocol';
import { addressOf, type StateStore, type StoreAddress, type StoreCommit, type StoreEvent } from './state-store.js';

interface Entry {
  version: number;
  /** Kept as JSON text, so every read hands out a fresh copy. */
  valueJson?: string;
}

/** Commit ids remembered to answer a commit re-sent after a lost connection. */
const rememberedCommits = 65_536;

export class MemoryStore implements StateStore {
  readonly description = 'memory (values go with this process; pass a Redis URL to keep them and to run several processes)';
  /** A new lineage of versions per process: a client holding versions from before a restart retries. */
  readonly epoch = randomBytes(16).toString('hex');
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Map<string, Set<(event: StoreEvent) => void>>();
  private readonly recentCommits = new Map<string, number>();

  async read(address: StoreAddress): Promise<WireSnapshot> {
    const entry = this.entries.get(addressOf(address));
    if (!entry || entry.version === 0) return { epoch: this.epoch, version: 0 };
    return { epoch: this.epoch, version: entry.version, value: JSON.parse(entry.valueJson!) };
  }

  async commit(commit: StoreCommit): Promise<WireCommitResult> {
    const address = addressOf(commit);
    const done = this.recentCommits.get(commit.commitId);
    if (done !== undefined) return { ok: true, epoch: this.epoch, version: done };
    const entry = this.entries.get(address) ?? { version: 0 };
    if (commit.expectedVersion !== undefined && (commit.expectedEpoch !== this.epoch || commit.expectedVersion !== entry.version)) {
      return { ok: false, current: await this.read(commit) };
    }
    const first = entry.version + 1;
    entry.version += commit.values.length;
    entry.valueJson = JSON.stringify(commit.values[commit.values.length - 1]);
    this.entries.set(address, entry);
    this.remember(commit.commitId, entry.version);
    const event: StoreEvent = { name: commit.name, key: commit.key, epoch: this.epoch, version: first, valuesJson: JSON.stringify(commit.values), commitId: commit.commitId };
    for (const listener of this.listeners.get(address) ?? []) listener(event);
    return { ok: true, epoch: this.epoch, version: entry.version };
  }

  async subscribe(address: StoreAddress, listener: (event: StoreEvent) => void): Promise<() => Promise<void>> {
    const id = addressOf(address);
    const own = this.listeners.get(id) ?? new Set();
    own.add(listener);
    this.listeners.set(id, own);
    return async () => {
      own.delete(listener);
      if (own.size === 0) this.listeners.delete(id);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private remember(commitId: string, version: number): void {
    this.recentCommits.set(commitId, version);
    if (this.recentCommits.size > rememberedCommits) this.recentCommits.delete(this.recentCommits.keys().next().value as string);
  }
}
