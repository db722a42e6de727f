// Learns when a dedicated worker dies, so no call stays pending forever (Comlink alone never
// settles one). Two signals: the worker's 'error' event, and a Web Lock the worker holds for its
// lifetime (lifetime-lock.ts), which this page is granted only once the worker is gone. A worker
// of another tab (a shared engine's host) has no 'error' event here: pass no worker, only the lock.
import { WorkerCrashedError } from '../errors.js';
import { watchLifetimeLock } from './lifetime-lock.js';

export interface WorkerLivenessOptions {
  /** Names the worker in messages: "the engine worker", "the worker ./app.worker.js". */
  what: string;
  /** Why it stopped, when its 'error' event carries no message. */
  errorReason: string;
  /** Before the worker started, names why its script did not load (a 404, HTML), when it can. */
  explainStartFailure?: () => Promise<Error | undefined>;
}

export class WorkerLiveness {
  private reason?: string;
  private started = false;
  private markDead!: (reason: string, error?: Error) => void;
  /** Rejects with WorkerCrashedError when the worker dies; never resolves. */
  readonly died: Promise<never>;

  constructor(
    worker: Worker | undefined,
    private readonly options: WorkerLivenessOptions,
  ) {
    this.died = new Promise<never>((_, reject) => {
      this.markDead = (reason, error) => {
        if (this.reason) return;
        this.reason = reason;
        reject(error ?? this.error());
      };
    });
    this.died.catch(() => {}); // observed through race()
    worker?.addEventListener('error', (event) => {
      event.preventDefault();
      const reason = event.message || options.errorReason;
      if (this.started || !options.explainStartFailure) return this.markDead(reason);
      void options.explainStartFailure().then((error) => this.markDead(reason, error), () => this.markDead(reason));
    });
  }

  get alive(): boolean {
    return this.reason === undefined;
  }

  /** Call once the worker holds `lockName`: the lock is granted here when the worker is gone. */
  watchLock(lockName: string): void {
    this.started = true;
    watchLifetimeLock(lockName, () => this.markDead('it was terminated or crashed'));
  }

  /** `promise`, or WorkerCrashedError if the worker dies first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.reason) return Promise.reject(this.error());
    return Promise.race([promise, this.died]);
  }

  stop(reason: string): void {
    this.markDead(reason);
  }

  private error(): WorkerCrashedError {
    return new WorkerCrashedError(`${this.options.what} stopped: ${this.reason}`);
  }
}
