// Where the relays of a context live: the SharedWorker of a browser profile (one WebSocket per server
// and token for every tab), or, where there is no SharedWorker (Node, a dedicated worker), the context
// itself. Tabs reach it through MessagePorts (Comlink); the context itself calls it directly.
import { expose, type Endpoint } from 'comlink';
import { holdLifetimeLock } from '../../lifetime/lifetime-lock.js';
import { isCommitMessage, type CommitMessage } from '../protocol.js';
import { randomId } from '../../random-id.js';
import { RelayConnection } from './relay-connection.js';
import { ServerRelay, type ServerTarget } from './server-relay.js';

export class RelayHost {
  readonly hostLock = `tabwise-server-state:host:${randomId()}`;
  /**
   * Held for this host's life, so tabs learn when it is gone (a crashed SharedWorker) and reconnect.
   * Greetings wait for it: a tab watching it before it is held would think the host gone at once.
   */
  readonly lockHeld = holdLifetimeLock(this.hostLock);
  private readonly relays = new Map<string, ServerRelay>();

  relayFor(target: ServerTarget): ServerRelay {
    const id = JSON.stringify([target.url, target.token ?? null, target.timeoutMs]);
    let relay = this.relays.get(id);
    if (!relay) {
      relay = new ServerRelay(target);
      this.relays.set(id, relay);
    }
    return relay;
  }

  close(): void {
    for (const relay of this.relays.values()) relay.close();
    this.relays.clear();
  }

  /** Serves a tab on `endpoint`: Comlink requests in, answers and `{ commit }` pushes out. */
  accept(endpoint: Endpoint & { close?(): void }): RelayConnection {
    const connection = new RelayConnection(this, (message) => endpoint.postMessage(message), () => endpoint.close?.());
    expose(connection, endpoint);
    return connection;
  }

  /** A connection for code in this same context: pushes are dispatched as `message` events on `events`. */
  connectHere(events: EventTarget): RelayConnection {
    return new RelayConnection(this, (message: CommitMessage) => {
      if (!isCommitMessage(message)) return;
      events.dispatchEvent(Object.assign(new Event('message'), { data: message }));
    });
  }
}
