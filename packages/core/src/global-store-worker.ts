// The SharedWorker behind global state: one per origin, shared by every tab (and, through ports the
// tabs hand over, their dedicated workers). Built to the stable file name global-store-worker.js,
// since a SharedWorker's identity is its script URL.
import { GlobalStore } from './state/global-store.js';
import { StoreHost } from './state/store-host.js';
import { StorePersistence } from './state/store-persistence.js';

const host = new StoreHost('shared-worker', new GlobalStore(StorePersistence.ifAvailable()));

globalThis.addEventListener('connect', (event) => {
  host.accept((event as MessageEvent).ports[0]);
});
