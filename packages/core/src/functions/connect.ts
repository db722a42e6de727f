// connect(): the page side of serve(). Starts the user's worker module (one per call, so one
// session per tab), hands it this page's global store, and returns a callable per served function.
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { WorkerCrashedError } from '../errors.js';
import { openGlobalStorePort } from '../state/global-store-port.js';
import type { GlobalStateTransportName } from '../state/types.js';
import './errors.js';
import { FunctionsClient } from './functions-client.js';
import { readyMessage, type FunctionsWorkerApi } from './functions-worker-api.js';
import type { Callables } from './types.js';
import { WorkerLiveness } from '../lifetime/worker-liveness.js';
import { randomId } from '../random-id.js';

export interface ConnectOptions {
  /** The worker's name (devtools, `self.name`). */
  name?: string;
  /** How long the module may take to call serve(); default 60 000 ms. Start model loads without awaiting them. */
  readyTimeoutMs?: number;
  /** Force a global-store strategy for the worker's global() states (tests, debugging). */
  transport?: GlobalStateTransportName;
}

export type FunctionsConnection<Api = unknown> = FunctionsClient & Callables<Api>;

/**
 * @example
 * // import type { api } from './app.worker.js';
 * const app = await connect<typeof api>(new URL('./app.worker.js', import.meta.url));
 * const top3 = await app.track_score(5);
 */
export async function connect<Api = unknown>(workerUrl: URL | string, options: ConnectOptions = {}): Promise<FunctionsConnection<Api>> {
  const { name, readyTimeoutMs = 60_000, transport } = options;
  const what = `the worker ${String(workerUrl)}`;
  const lockName = `tabwise-functions-${randomId()}`;
  const worker = new Worker(workerUrl, { type: 'module', name: name ?? lockName });
  try {
    await serving(worker, what, readyTimeoutMs);
  } catch (error) {
    worker.terminate();
    throw error;
  }
  const liveness = new WorkerLiveness(worker, { what, errorReason: 'it threw outside any served function' });
  const remote = Comlink.wrap<FunctionsWorkerApi>(worker);
  const client = new FunctionsClient(worker, remote, liveness);
  const globalStore = openGlobalStorePort({ transport });
  try {
    const functions = await liveness.race(remote.attach(Comlink.transfer({ lockName, globalStore }, [globalStore]), Comlink.proxy(client.stateChanged)));
    liveness.watchLock(lockName);
    client.useFunctions(functions);
  } catch (error) {
    client.close();
    throw error;
  }
  return client as FunctionsConnection<Api>;
}

/** Resolves when the module called serve(); rejects if it failed to load, threw first, or took too long. */
function serving(worker: Worker, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(new WorkerCrashedError(`${what} did not call serve() within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (event: MessageEvent) => {
      if (event.data === readyMessage) settle();
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      settle(new WorkerCrashedError(`${what} failed before serve(): ${event.message || 'it did not load, or threw (see the console)'}`));
    };
    function settle(error?: Error) {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    }
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
}
