// Node (a CLI, a server script, tests): no tabs, so the store lives in this process and every
// createGlobalState() of the process shares it. Named for what it is, with no "other tabs" warning.
import { GlobalStore } from './global-store.js';
import { memoryChannel } from './memory-channel.js';
import type { ClientIdentity } from './protocol.js';
import { StoreHost } from './store-host.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from './store-transport.js';

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

export class InProcessTransport implements GlobalStoreTransport {
  readonly name = 'in-process';
  private host?: StoreHost;

  canBeUsed(): boolean {
    return inNode;
  }

  connect(client: ClientIdentity): Promise<StoreLink> {
    // Values are kept in memory: Node has no IndexedDB, so `persist` lasts as long as the process.
    this.host ??= new StoreHost('in-process', new GlobalStore());
    const host = this.host;
    const [clientEnd, hostEnd] = memoryChannel();
    host.accept(hostEnd);
    return openStoreLink(clientEnd, client, { attachPort: (port) => host.accept(port), close: () => clientEnd.close() });
  }
}
