// The SharedWorker behind global state: one per origin, shared by every tab (and, through ports the
// tabs hand over, their dedicated workers). Built to the stable file name global-store-worker.js,
// since a SharedWorker's identity is its script URL. Started under the name 'tabwise-engine-broker',
// the same script brokers shared engines' ports instead (state/engine-broker.ts).
import { forever, webLocks } from './lifetime/web-locks.js';
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
  takeOverFromEarlierInstances();
  const host = new StoreHost('shared-worker', new GlobalStore(StorePersistence.ifAvailable()));
  return (port) => void host.accept(port, { silentDeadlineMs: silentPortDeadlineMs });
}

/**
 * One store per script: WebKitGTK can start a second instance of this SharedWorker while the first
 * still serves a page that connected earlier (16 tabs: tab 0 counted 12 on one store while the other
 * 15 tabs counted 180 on another). The newest instance steals the serving lock; an instance that
 * loses it closes, so its pages see their store go, reconnect (to the newest) and re-seed it with
 * what they knew. The lock is per script URL, so two builds on one origin (old and new tabs across
 * a deploy) never take it from each other in turn.
 */
function takeOverFromEarlierInstances(): void {
  webLocks()
    ?.request(`tabwise-global-store:serving:${globalThis.location.href}`, { steal: true }, () => forever)
    .catch(() => globalThis.close());
}

/** A page's hello is on its way before its port arrives (store-host.ts, forgetIfSilent). */
const silentPortDeadlineMs = 5_000;

const serve = portServer();

globalThis.addEventListener('connect', (event) => {
  serve((event as MessageEvent).ports[0]);
});
