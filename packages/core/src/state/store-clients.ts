// One StoreClient per transport per JavaScript context, shared by every state created in it, so a
// tab has one connection to the store whatever the number of keys.
import { GlobalStateTransportError } from './errors.js';
import { PortTransport } from './port-transport.js';
import { StoreClient } from './store-client.js';
import type { GlobalStoreTransport } from './store-transport.js';
import { strategyNamed, TransportChooser } from './transport-chooser.js';
import type { GlobalStateTransportName } from './types.js';

const clients = new Map<GlobalStateTransportName | 'default', StoreClient>();
let defaultTransport: GlobalStoreTransport = new TransportChooser();

/** The client for a forced strategy, or for this context's default (the chooser, or a handed-over port). */
export function storeClient(transport?: GlobalStateTransportName): StoreClient {
  const slot = transport ?? 'default';
  let client = clients.get(slot);
  if (!client) {
    client = new StoreClient(transport ? forced(transport) : defaultTransport);
    clients.set(slot, client);
  }
  return client;
}

/** From now on, states created without a forced transport reach the store through `port`. */
export function useStorePort(port: MessagePort): void {
  defaultTransport = new PortTransport(port, () => strategyNamed('broadcast-channel'));
  clients.delete('default');
}

function forced(name: GlobalStateTransportName): GlobalStoreTransport {
  const strategy = strategyNamed(name);
  return {
    name,
    canBeUsed: () => strategy.canBeUsed(),
    connect: (client) =>
      strategy.canBeUsed()
        ? strategy.connect(client)
        : Promise.reject(new GlobalStateTransportError(`global state transport "${name}" cannot be used in this context`)),
  };
}
