// Runs a GlobalStore for many endpoints: the SharedWorker's ports, a leader tab's followers, the
// in-tab fallback's own page and workers. It holds a lifetime lock so clients learn when it is gone.
import { expose, type Endpoint } from 'comlink';
import type { GlobalStore } from './global-store.js';
import { holdLifetimeLock } from '../lifetime/lifetime-lock.js';
import { randomId } from '../random-id.js';
import type { ClientHello, RestoreRequest, Snapshot, StoreGreeting, StoreStats } from './protocol.js';
import { StoreConnection, type ConnectionOwner } from './store-connection.js';
import { StoreWitnesses } from './store-witnesses.js';
import type { GlobalStateTransportName } from './types.js';

export interface AcceptOptions {
  /** false where commits reach the client another way (the leader's broadcast). */
  pushesCommits?: boolean;
  /** The client's lifetime lock, where it is known before its hello (a follower's requests carry it). */
  clientLock?: string;
  /** Stop counting the connection if nothing arrives on it within this many ms (see forgetIfSilent). */
  silentDeadlineMs?: number;
}

export class StoreHost implements ConnectionOwner {
  readonly hostId = randomId();
  readonly hostLock = `tabwise-global-store:host:${this.hostId}`;
  // Greetings wait for it: a client that watched the lock before the host held it would be granted
  // it at once, think the store gone, and connect a second time beside its live first connection.
  private readonly lockHeld = holdLifetimeLock(this.hostLock);
  private readonly connections = new Set<StoreConnection>();
  /** The connection each client greeted on, with its attempt (see `greeting`). */
  private readonly greeted = new Map<string, { connection: StoreConnection; attempt: number }>();
  private readonly witnesses?: StoreWitnesses;
  /** Reads, commits and subscriptions wait for it; greetings (and their offers) do not. */
  readonly opened: Promise<void>;

  /**
   * @param options.witnessesOf the SharedWorker store's script URL: serve nobody until the clients of
   *   a store this one replaces have greeted it with their values (StoreWitnesses).
   */
  constructor(
    readonly transport: GlobalStateTransportName,
    readonly store: GlobalStore,
    { witnessesOf }: { witnessesOf?: string } = {},
  ) {
    if (witnessesOf) this.witnesses = new StoreWitnesses(witnessesOf);
    this.opened = this.witnesses?.heardAll ?? Promise.resolve();
  }

  /** Serves the store on `endpoint` (Comlink requests in, answers and `{ commit }` pushes out). */
  accept(endpoint: Endpoint, { pushesCommits = true, clientLock, silentDeadlineMs }: AcceptOptions = {}): StoreConnection {
    const connection = new StoreConnection(this, endpoint, pushesCommits, clientLock);
    this.connections.add(connection);
    expose(connection, endpoint);
    if (silentDeadlineMs !== undefined) this.forgetIfSilent(connection, endpoint, silentDeadlineMs);
    return connection;
  }

  /**
   * When WebKitGTK replaces a SharedWorker that pages still use, the new instance also gets a
   * 'connect' for every earlier page's port, and those ports are dead both ways (probe:
   * tests/probes/shared-worker-lifetime.probe.ts). A client's hello is sent before its port even
   * reaches the store, so a port silent for this long has no one behind it. It is no longer counted,
   * but not closed: runs that closed such ports lost updates in WebKit (7 of 14, browsers.md). One
   * forgotten too early costs nothing: it is counted again when it speaks.
   */
  private forgetIfSilent(connection: StoreConnection, endpoint: Endpoint, deadlineMs: number): void {
    let forgotten = false;
    const timer = setTimeout(() => (forgotten = this.connections.delete(connection)), deadlineMs);
    // A port that does speak after all is a client again, dropped when its lock goes like any other.
    const heard = () => {
      clearTimeout(timer);
      if (forgotten && !connection.ended) this.connections.add(connection);
    };
    endpoint.addEventListener('message', heard, { once: true });
  }

  drop(connection: StoreConnection): void {
    if (connection.clientId && this.greeted.get(connection.clientId)?.connection === connection) this.greeted.delete(connection.clientId);
    if (this.connections.delete(connection)) connection.close();
  }

  /**
   * A client greets a store on a second port only when it gave up waiting on the first (a SharedWorker
   * slow to answer, shared-worker-transport.ts). The store may still get both hellos, in either order:
   * the older attempt's connection is no longer counted and stops listening, and the client is kept.
   */
  async greeting(connection: StoreConnection, { id: clientId, offers = [] }: ClientHello, attempt: number): Promise<StoreGreeting> {
    const earlier = this.greeted.get(clientId);
    if (earlier && earlier.connection !== connection) {
      const [newer, older] = attempt >= earlier.attempt ? [{ connection, attempt }, earlier] : [earlier, { connection, attempt }];
      this.greeted.set(clientId, newer);
      this.connections.delete(older.connection);
      older.connection.detach();
    } else {
      this.greeted.set(clientId, { connection, attempt });
    }
    const restored = await Promise.all(offers.map((offer) => this.offered(offer)));
    this.witnesses?.heard(clientId);
    await this.lockHeld;
    const witnessLock = this.witnesses?.lockFor(clientId);
    return { transport: this.transport, hostId: this.hostId, epoch: this.store.epoch, hostLock: this.hostLock, restored, ...(witnessLock && { witnessLock }) };
  }

  /** A value from a store that is gone is offered to this one; one from this store is only read. */
  private offered(offer: RestoreRequest): Promise<Snapshot> {
    return offer.from.epoch === this.store.epoch ? this.store.read(offer.name, offer.key, offer.persist) : this.store.restore(offer);
  }

  stats(name: string, key: string): StoreStats {
    return { transport: this.transport, hostId: this.hostId, ...this.store.describe(name, key), connections: this.connections.size };
  }
}
