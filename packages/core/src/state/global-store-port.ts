// Global state in a dedicated worker. A dedicated worker cannot create the SharedWorker (Chrome,
// Safari), so the page opens a port to its store and posts it to the worker:
//
//   page:   worker.postMessage({ globalStore: openGlobalStorePort() }, [port])
//   worker: useGlobalStorePort(port); const scores = createGlobalState('scores', []);
import { storeClient, useStorePort } from './store-clients.js';
import type { GlobalStateTransportName } from './types.js';

/**
 * Page side: a port connected to the store this page uses (or the one `transport` forces), to transfer
 * to a dedicated worker. Messages the worker sends before the store is reached wait in the port.
 */
export function openGlobalStorePort(options: { transport?: GlobalStateTransportName } = {}): MessagePort {
  const { port1, port2 } = new MessageChannel();
  storeClient(options.transport).attachPort(port2);
  return port1;
}

/** Worker side: states created afterwards without a forced `transport` use the page's store through `port`. */
export function useGlobalStorePort(port: MessagePort): void {
  useStorePort(port);
}
