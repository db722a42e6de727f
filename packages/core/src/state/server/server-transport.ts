// The transport of server-scoped state. In a browser the tabs share one relay in a SharedWorker, so a
// profile keeps one WebSocket per server whatever the number of tabs; where there is no SharedWorker
// (Node, a dedicated worker, Chrome for Android) this context runs the relay and its socket itself.
import type { Endpoint, Remote } from 'comlink';
import { GlobalStateTransportError } from '../errors.js';
import type { ClientIdentity, GlobalStoreApi } from '../protocol.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from '../store-transport.js';
import type { ServerClientIdentity } from './relay-connection.js';
import { RelayHost } from './relay-host.js';
import type { ServerTarget } from './server-relay.js';

const never = new Promise<never>(() => {});
let hereHost: RelayHost | undefined;

/** Closes the sockets this context holds itself (not a SharedWorker's, which other tabs share). */
export function closeRelaysHere(): void {
  hereHost?.close();
  hereHost = undefined;
}

export class ServerTransport implements GlobalStoreTransport {
  readonly name = 'server';

  constructor(private readonly target: ServerTarget) {}

  canBeUsed(): boolean {
    return true;
  }

  connect(client: ClientIdentity): Promise<StoreLink> {
    const identity: ServerClientIdentity = { ...client, server: this.target };
    return typeof SharedWorker === 'function' ? this.viaSharedWorker(identity) : this.here(identity);
  }

  private viaSharedWorker(identity: ServerClientIdentity): Promise<StoreLink> {
    const worker = new SharedWorker(new URL('./server-state-worker.js', import.meta.url), {
      type: 'module',
      name: 'tabwise-server-state',
    });
    const abandon = new Promise<never>((_, reject) => {
      worker.addEventListener('error', () => reject(new GlobalStateTransportError('the server-state SharedWorker failed to start')));
    });
    abandon.catch(() => {});
    return openStoreLink(worker.port, identity, { abandon, watchHost: true, close: () => worker.port.close() });
  }

  /** No message passing: the relay's methods are called directly and its pushes arrive as events. */
  private async here(identity: ServerClientIdentity): Promise<StoreLink> {
    hereHost ??= new RelayHost();
    const host = hereHost;
    const events = new EventTarget();
    const connection = host.connectHere(events);
    return {
      greeting: await connection.hello(identity),
      api: connection as unknown as Remote<GlobalStoreApi>,
      endpoint: events as unknown as Endpoint,
      lost: never,
      attachPort: (port) => void host.accept(port),
      close: () => connection.close(),
    };
  }
}
