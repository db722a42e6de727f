// What a state server needs from where values live: read, compare-and-set commit, and commit events in
// commit order. Two implementations: MemoryStore (one process) and RedisStore (any number of processes).
import type { WireCommitResult, WireSnapshot } from '@tabwise/core/server-protocol';

export interface StoreAddress {
  /** The client's namespace (`name` option) and key. */
  name: string;
  key: string;
}

export interface StoreCommit extends StoreAddress {
  expectedEpoch?: string;
  expectedVersion?: number;
  values: unknown[];
  commitId: string;
}

/** One commit as every subscriber sees it: `values` (as JSON text) are versions `version`, `version + 1`, … */
export interface StoreEvent extends StoreAddress {
  epoch: string;
  version: number;
  valuesJson: string;
  commitId: string;
}

export interface StateStore {
  /** Said at start-up: where the values live and what that means for them. */
  readonly description: string;
  read(address: StoreAddress): Promise<WireSnapshot>;
  /** Atomic: commits only if the key is still at `expectedEpoch`/`expectedVersion` (when given); a re-sent `commitId` is applied once. */
  commit(commit: StoreCommit): Promise<WireCommitResult>;
  /** Calls `listener` with every commit of the key, from any process, in commit order. Resolves once subscribed. */
  subscribe(address: StoreAddress, listener: (event: StoreEvent) => void): Promise<() => Promise<void>>;
  /** Called after the store lost and regained its event stream (events may have been missed meanwhile). */
  onResync?: () => void;
  close(): Promise<void>;
}

/** A collision-free string for (name, key): the length prefix keeps it unambiguous. */
export function addressOf({ name, key }: StoreAddress): string {
  return `${name.length}:${name}:${key}`;
}
