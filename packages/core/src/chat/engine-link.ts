// What a Chat needs from wherever its engine runs: a dedicated Web Worker in a page
// (WorkerLink), or this process in Node (InProcessLink).
import type * as Comlink from 'comlink';
import type { EngineWorkerApi } from './engine-worker-api.js';

export interface EngineLink {
  readonly alive: boolean;
  /** The engine's worker; undefined when the engine runs in this process (Node). */
  readonly worker?: Worker;
  /** Runs a call on the engine; rejects with WorkerCrashedError if the engine dies first. */
  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T>;
  terminate(reason?: string): void;
}
