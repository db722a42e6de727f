// Node: the engine runs in this process, behind the same EngineWorkerApi a worker would serve.
// onnxruntime-web's Node build runs its WASM off the JavaScript thread's critical path well enough
// for a CLI or a server script, and there is no worker file to find.
import type * as Comlink from 'comlink';
import { WorkerCrashedError } from '../errors.js';
import type { RuntimeSettings } from '../engine/onnx-runtime.js';
import { EngineHost } from './engine-host.js';
import type { EngineLink } from './engine-link.js';
import type { EngineWorkerApi } from './engine-worker-api.js';

export class InProcessLink implements EngineLink {
  private readonly host: EngineHost;
  private stoppedReason?: string;

  constructor(settings: RuntimeSettings) {
    this.host = new EngineHost({ numThreads: settings.numThreads });
  }

  get alive(): boolean {
    return this.stoppedReason === undefined;
  }

  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.stoppedReason) return Promise.reject(new WorkerCrashedError(`the engine stopped: ${this.stoppedReason}`));
    // Comlink.proxy() only marks a callback, so the worker API's callers work unchanged in-process.
    return Promise.resolve().then(() => fn(this.host as unknown as Comlink.Remote<EngineWorkerApi>));
  }

  terminate(reason = 'it was disposed'): void {
    this.stoppedReason ??= reason;
  }
}
