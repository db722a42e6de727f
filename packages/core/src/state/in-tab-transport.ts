// Last resort: the store lives in this tab (and the workers it hands ports to). Same API, same
// semantics inside the tab, but other tabs don't see it, hence the warning.
import { GlobalStore } from './global-store.js';
import type { ClientIdentity } from './protocol.js';
import { StoreHost } from './store-host.js';
import { StorePersistence } from './store-persistence.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from './store-transport.js';

export class InTabTransport implements GlobalStoreTransport {
  readonly name = 'in-tab';
  private host?: StoreHost;

  canBeUsed(): boolean {
    return true;
  }

  connect(client: ClientIdentity): Promise<StoreLink> {
    if (!this.host) {
      console.warn('tabwise: global state is kept in this tab only (no SharedWorker, nor BroadcastChannel with Web Locks); other tabs will not see it');
      this.host = new StoreHost('in-tab', new GlobalStore(StorePersistence.ifAvailable()));
    }
    const host = this.host;
    // A MessageChannel even inside the tab, so values are cloned exactly as they are between tabs.
    const { port1, port2 } = new MessageChannel();
    host.accept(port2);
    return openStoreLink(port1, client, { attachPort: (port) => host.accept(port), close: () => port1.close() });
  }
}
