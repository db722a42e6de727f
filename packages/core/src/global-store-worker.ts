// The SharedWorker behind global state: one per origin, shared by every tab (and, through ports the
// tabs hand over, their dedicated workers). Built to the stable file name global-store-worker.js,
// since a SharedWorker's identity is its script URL. Started under the name 'tabwise-engine-broker',
// the same script brokers shared engines' ports instead (state/engine-broker.ts).
import { EngineBroker } from './state/engine-broker.js';
import { GlobalStore } from './state/global-store.js';
import { StoreHost } from './state/store-host.js';
import { StorePersistence } from './state/store-persistence.js';

/** What this instance serves on each connecting port: the store, or the engine broker. */
function portServer(): (port: MessagePort) => void {
  if ((globalThis as { name?: string }).name === 'tabwise-engine-broker') {
    const broker = new EngineBroker();
    return (port) => broker.accept(port);
  }
  const host = new StoreHost('shared-worker', new GlobalStore(StorePersistence.ifAvailable()), { witnessesOf: globalThis.location.href });
  return (port) => void host.accept(port, { silentDeadlineMs: silentPortDeadlineMs });
}

/** A page's hello is on its way before its port arrives (store-host.ts, forgetIfSilent). */
const silentPortDeadlineMs = 5_000;

const serve = portServer();

globalThis.addEventListener('connect', (event) => {
  serve((event as MessageEvent).ports[0]);
});
