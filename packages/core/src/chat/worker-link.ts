// A Comlink link to the engine worker that notices when the worker dies. Comlink alone leaves a
// call pending forever if the worker is terminated or crashes; here every call races the
// worker's death (lifetime/worker-liveness.ts).
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { WorkerLiveness } from '../lifetime/worker-liveness.js';
import { randomId } from '../random-id.js';
import type { EngineWorkerApi } from './engine-worker-api.js';

export class WorkerLink {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EngineWorkerApi>;
  readonly lockName = `tabwise-engine-${randomId()}`;
  private readonly liveness: WorkerLiveness;

  constructor(workerUrl: URL | string) {
    this.worker = new Worker(workerUrl, { type: 'module', name: this.lockName });
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    this.liveness = new WorkerLiveness(this.worker, { what: 'the engine worker', errorReason: 'its script failed to load or threw' });
    // The worker takes its lifetime lock first, so ours is granted only once it is gone.
    this.liveness.race(this.remote.holdLifetimeLock()).then(() => this.liveness.watchLock(this.lockName), () => {});
  }

  get alive(): boolean {
    return this.liveness.alive;
  }

  /** Runs a call on the worker; rejects with WorkerCrashedError if the worker dies first. */
  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    return this.liveness.alive ? this.liveness.race(fn(this.remote)) : this.liveness.died;
  }

  terminate(reason = 'it was disposed'): void {
    this.worker.terminate();
    this.liveness.stop(reason);
  }
}
