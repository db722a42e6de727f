// First choice: one SharedWorker per origin holds the store. Its script URL (and name) is its
// identity, so the file name is stable across builds: global-store-worker.js beside this bundle.
import { isCrossOriginScript } from '../workers/cross-origin-worker.js';
import { GlobalStateTransportError } from './errors.js';
import type { ClientHello } from './protocol.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from './store-transport.js';

/**
 * How long each port waits for the store's greeting. The first is short: a reconnecting tab whose port
 * reached the instance WebKit is ending must reach the new one before that store stops waiting for its
 * witnesses (store-witnesses.ts); the later ones allow for a worker slow to start (33 s in all, as
 * long as the two 15 s waits before).
 */
const greetingTimeoutsMs = [3_000, 15_000, 15_000];

export class SharedWorkerTransport implements GlobalStoreTransport {
  readonly name = 'shared-worker';

  canBeUsed(): boolean {
    // Not in dedicated workers in Chrome and Safari, nor in Chrome for Android; and a SharedWorker
    // cannot come from another origin (the drop-in on a CDN), where the leader tab serves instead.
    return typeof SharedWorker === 'function' && !isCrossOriginScript(import.meta.url);
  }

  /**
   * A store that does not answer is asked again on a new port before the chooser moves on: WebKitGTK
   * replaces this SharedWorker while pages use it, and a port to the replaced instance never answers.
   * Moving on would make this tab lead a store of its own over BroadcastChannel, apart from every
   * tab on the SharedWorker (16 tabs: 12 updates on one, 180 on the other). A worker that failed to
   * start is not asked again.
   */
  async connect(client: ClientHello): Promise<StoreLink> {
    for (let attempt = 1; ; attempt++) {
      const worker = new SharedWorker(new URL('./global-store-worker.js', import.meta.url), {
        type: 'module',
        name: 'tabwise-global-store',
      });
      let failedToStart = false;
      const abandon = new Promise<never>((_, reject) => {
        worker.addEventListener('error', () => {
          failedToStart = true;
          reject(new GlobalStateTransportError('the global store SharedWorker failed to start'));
        });
      });
      abandon.catch(() => {}); // an error after the greeting is not this promise's business
      try {
        const greetingTimeoutMs = greetingTimeoutsMs[attempt - 1];
        return await openStoreLink(worker.port, client, { attempt, abandon, watchHost: true, greetingTimeoutMs, close: () => worker.port.close() });
      } catch (error) {
        worker.port.close();
        if (failedToStart || attempt === greetingTimeoutsMs.length) throw error;
      }
    }
  }
}
