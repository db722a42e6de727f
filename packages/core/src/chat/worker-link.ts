// A Comlink link to the engine worker that notices when the worker dies. Comlink alone leaves a
// call pending forever if the worker is terminated or crashes; here every call races the
// worker's death (lifetime/worker-liveness.ts).
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { WorkerLiveness } from '../lifetime/worker-liveness.js';
import { randomId } from '../random-id.js';
import type { EngineLink } from './engine-link.js';
import { workerStartError } from '../workers/worker-load-error.js';
import type { EngineWorkerApi } from './engine-worker-api.js';

export class WorkerLink implements EngineLink {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EngineWorkerApi>;
  readonly lockName = `tabwise-engine-${randomId()}`;
  /** Resolves once the worker holds `lockName` (rejects if it died first). */
  readonly lifetimeLockHeld: Promise<void>;
  private readonly liveness: WorkerLiveness;

  /** `scriptUrl`, when known, is checked if the worker fails before it starts (404, HTML). */
  constructor(startWorker: () => Worker, private readonly scriptUrl?: string) {
    this.worker = startWorker();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    this.liveness = new WorkerLiveness(this.worker, {
      what: 'the engine worker',
      errorReason: 'its script failed to load or threw',
      explainStartFailure: () => workerStartError(this.worker, this.scriptUrl),
    });
    // The worker takes its lifetime lock first (its name travels in the call: worker options stay
    // static, as bundlers require), so ours is granted only once it is gone.
    this.lifetimeLockHeld = this.liveness.race(this.remote.holdLifetimeLock(this.lockName));
    this.lifetimeLockHeld.then(() => this.liveness.watchLock(this.lockName), () => {});
  }

  /** Rejects with WorkerCrashedError once the worker is gone (terminated, crashed, disposed). */
  get died(): Promise<never> {
    return this.liveness.died;
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
