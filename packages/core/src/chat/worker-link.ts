// A Comlink link to the engine worker that notices when the worker dies. Comlink alone leaves a
// call pending forever if the worker is terminated or crashes; here every call races the
// worker's death, learned from a Web Lock the worker holds for its lifetime.
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { WorkerCrashedError } from '../errors.js';
import type { EngineLink } from './engine-link.js';
import { workerStartError } from '../workers/worker-load-error.js';
import type { EngineWorkerApi } from './engine-worker-api.js';

export class WorkerLink implements EngineLink {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EngineWorkerApi>;
  readonly lockName = `tabwise-engine-${crypto.randomUUID()}`;
  private deathReason?: string;
  private readonly died: Promise<never>;
  private markDead!: (reason: string, error?: Error) => void;
  private started = false;

  /** `scriptUrl`, when known, is checked if the worker fails before it starts (404, HTML). */
  constructor(startWorker: () => Worker, private readonly scriptUrl?: string) {
    this.worker = startWorker();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    this.died = new Promise<never>((_, reject) => {
      this.markDead = (reason, error) => {
        if (this.deathReason) return;
        this.deathReason = reason;
        reject(error ?? new WorkerCrashedError(`the engine worker stopped: ${reason}`));
      };
    });
    this.died.catch(() => {}); // observed through call()
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      const reason = event.message || 'its script failed to load or threw';
      if (this.started) return this.markDead(reason);
      void workerStartError(this.worker, this.scriptUrl).then((error) => this.markDead(reason, error));
    });
    this.watchLifetime();
  }

  get alive(): boolean {
    return this.deathReason === undefined;
  }

  private async watchLifetime(): Promise<void> {
    if (!navigator.locks) return;
    try {
      await Promise.race([this.remote.holdLifetimeLock(this.lockName), this.died]);
      this.started = true;
      // Granted only once the worker no longer holds it: it was terminated or crashed.
      await navigator.locks.request(this.lockName, () => {});
      this.markDead('it was terminated or crashed');
    } catch {
      // already dead
    }
  }

  /** Runs a call on the worker; rejects with WorkerCrashedError if the worker dies first. */
  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.deathReason) return Promise.reject(new WorkerCrashedError(`the engine worker stopped: ${this.deathReason}`));
    return Promise.race([fn(this.remote), this.died]);
  }

  terminate(reason = 'it was disposed'): void {
    this.worker.terminate();
    this.markDead(reason);
  }
}
