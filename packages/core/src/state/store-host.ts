// Runs a GlobalStore for many endpoints: the SharedWorker's ports, a leader tab's followers, the
// in-tab fallback's own page and workers. It holds a lifetime lock so clients learn when it is gone.
import { expose, type Endpoint } from 'comlink';
import type { GlobalStore } from './global-store.js';
import { holdLifetimeLock } from '../lifetime/lifetime-lock.js';
import { randomId } from '../random-id.js';
import type { StoreGreeting, StoreStats } from './protocol.js';
import { StoreConnection, type ConnectionOwner } from './store-connection.js';
import type { GlobalStateTransportName } from './types.js';

export class StoreHost implements ConnectionOwner {
  readonly hostId = randomId();
  readonly hostLock = `tabwise-global-store:host:${this.hostId}`;
  // Greetings wait for it: a client that watched the lock before the host held it would be granted
  // it at once, think the store gone, and connect a second time beside its live first connection.
  private readonly lockHeld = holdLifetimeLock(this.hostLock);
  private readonly connections = new Set<StoreConnection>();

  constructor(
    readonly transport: GlobalStateTransportName,
    readonly store: GlobalStore,
  ) {}

  /** Serves the store on `endpoint` (Comlink requests in, answers and `{ commit }` pushes out). */
  accept(endpoint: Endpoint, { pushesCommits = true, clientLock }: { pushesCommits?: boolean; clientLock?: string } = {}): StoreConnection {
    const connection = new StoreConnection(this, endpoint, pushesCommits, clientLock);
    this.connections.add(connection);
    expose(connection, endpoint);
    return connection;
  }

  drop(connection: StoreConnection): void {
    if (this.connections.delete(connection)) connection.close();
  }

  async greeting(): Promise<StoreGreeting> {
    await this.lockHeld;
    return { transport: this.transport, hostId: this.hostId, epoch: this.store.epoch, hostLock: this.hostLock };
  }

  stats(name: string, key: string): StoreStats {
    return { transport: this.transport, hostId: this.hostId, ...this.store.describe(name, key), connections: this.connections.size };
  }
}
