// What a Chat needs from wherever its engine runs: a dedicated Web Worker in a page
// (WorkerLink), another tab's shared engine or this tab's hosting of it (SharedEngineLink), or
// this process in Node (InProcessLink).
import type * as Comlink from 'comlink';
import type { EngineWorkerApi } from './engine-worker-api.js';

export interface EngineLink {
  readonly alive: boolean;
  /** The engine's worker; undefined when the engine runs in this process (Node). */
  readonly worker?: Worker;
  /** Runs a call on the engine; rejects with WorkerCrashedError if the engine dies first. */
  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T>;
  terminate(reason?: string): void;
  /**
   * A shared engine only: whether this tab hosts it and how many tabs it serves; `reason` is set
   * when the tab could not reach the host and runs its own engine instead.
   */
  readonly sharing?: { host: boolean; tabs: number; reason?: string };
  /** A shared engine only: calls `listener` whenever `sharing` changes; returns a function that stops it. */
  onSharingChange?(listener: () => void): () => void;
  /** A shared engine only: rejects with WorkerCrashedError when the engine goes (its host tab closed or crashed) or the link stops. */
  readonly hostGone?: Promise<never>;
}
