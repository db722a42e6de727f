// Inside a dedicated worker: the page handed over a port to its store (see useGlobalStorePort).
// A SharedWorker or in-tab store answers on the port itself; a page using the leader-tab strategy
// answers only to say so, and the worker then joins the BroadcastChannel like another tab.
import type { ClientIdentity } from './protocol.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from './store-transport.js';
import type { GlobalStateTransportName } from './types.js';

export class PortTransport implements GlobalStoreTransport {
  /** Unknown until the page's store answers; the page's first choice until then. */
  name: GlobalStateTransportName = 'shared-worker';

  constructor(
    private readonly port: MessagePort,
    private readonly connectYourself: () => GlobalStoreTransport,
  ) {}

  canBeUsed(): boolean {
    return true;
  }

  async connect(client: ClientIdentity): Promise<StoreLink> {
    const link = await openStoreLink(this.port, client);
    this.name = link.greeting.transport;
    if (!link.greeting.connectYourself) return link;
    this.port.close();
    return this.connectYourself().connect(client);
  }
}
