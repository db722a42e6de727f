// The part of the state server that every connection shares: the store, one store subscription per key
// followed by any connection of this process (fanned out as one pre-built frame), and the counters.
import { randomBytes } from 'node:crypto';
import { CommitTurns, type CommitFrame, type KeyFrame, type WireCommitResult, type WireSnapshot, type WireStats } from '@tabwise/core/server-protocol';
import type { ClientConnection } from './client-connection.js';
import type { StateServerLimits } from './limits.js';
import { addressOf, type StateStore, type StoreAddress, type StoreEvent } from './state-store.js';

export interface AuthorizeRequest {
  /** The page's origin; undefined for a client that is not a browser page. */
  origin: string | undefined;
  name: string;
  key: string;
  op: 'read' | 'write';
  /** The client's `token` option. */
  token: string | undefined;
}

/** Return true to allow; anything else (or a throw) refuses with GlobalStateAccessError. */
export type Authorize = (request: AuthorizeRequest) => boolean | Promise<boolean>;

export interface StateServerStats {
  connections: number;
  commits: number;
  conflicts: number;
  malformedFrames: number;
  incompatibleClients: number;
  refusedOrigins: number;
  refusedByAuthorize: number;
  /** Requests refused by each limit. */
  limits: { valueBytes: number; keyLength: number; keysPerConnection: number; messagesPerSecond: number };
}

type Counter = Exclude<keyof StateServerStats, 'connections' | 'limits'>;

interface Followed {
  address: StoreAddress;
  connections: Set<ClientConnection>;
  /** Settles once the store subscription is in place; resolves to its undo. */
  subscribed: Promise<() => Promise<void>>;
}

export class StateServerCore {
  readonly serverId = randomBytes(8).toString('hex');
  readonly connections = new Set<ClientConnection>();
  readonly stats: StateServerStats = {
    connections: 0,
    commits: 0,
    conflicts: 0,
    malformedFrames: 0,
    incompatibleClients: 0,
    refusedOrigins: 0,
    refusedByAuthorize: 0,
    limits: { valueBytes: 0, keyLength: 0, keysPerConnection: 0, messagesPerSecond: 0 },
  };
  private readonly followed = new Map<string, Followed>();
  /** Per key: clients that lost a compare-and-set take turns (as in the SharedWorker's store), so none starves. */
  private readonly turns = new Map<string, CommitTurns>();

  constructor(
    readonly store: StateStore,
    readonly limits: Required<StateServerLimits>,
    readonly authorize: Authorize | undefined,
  ) {
    store.onResync = () => this.resync();
  }

  count(counter: Counter): void {
    this.stats[counter]++;
  }

  countLimit(limit: keyof StateServerStats['limits']): void {
    this.stats.limits[limit]++;
  }

  /**
   * The client that just committed hears so first and would win every next round; so clients that lose
   * wait in line, and while the line is not empty only its head may try. Per server process.
   */
  async commit(frame: CommitFrame, connectionId: number): Promise<WireCommitResult> {
    const address = addressOf(frame);
    const who = `${connectionId}/${frame.clientId ?? ''}`;
    const blind = frame.expectedVersion === undefined;
    let turns = this.turns.get(address);
    if (!blind && turns && !turns.mayCommit(who, true)) return this.waitForTurn(turns, who, frame);
    const result = await this.store.commit(frame);
    this.count(result.ok ? 'commits' : 'conflicts');
    if (result.ok) {
      turns?.committed(who);
      return result;
    }
    if (!turns) this.turns.set(address, (turns = new CommitTurns()));
    return this.waitForTurn(turns, who, frame);
  }

  private async waitForTurn(turns: CommitTurns, who: string, frame: CommitFrame): Promise<WireCommitResult> {
    await turns.waitForTurn(who);
    return { ok: false, current: await this.store.read(frame) };
  }

  /** Subscribes first, then reads: no commit can fall between the snapshot and the first push. */
  async subscribe(connection: ClientConnection, frame: KeyFrame): Promise<WireSnapshot> {
    const address = addressOf(frame);
    let followed = this.followed.get(address);
    if (!followed) {
      const created: Followed = { address: { name: frame.name, key: frame.key }, connections: new Set(), subscribed: Promise.resolve(async () => {}) };
      created.subscribed = this.store.subscribe(created.address, (event) => this.fanOut(created, event));
      this.followed.set(address, (followed = created));
      created.subscribed.catch(() => this.followed.get(address) === created && this.followed.delete(address));
    }
    followed.connections.add(connection);
    connection.subscriptions.add(address);
    await followed.subscribed;
    return this.store.read(frame);
  }

  unsubscribe(connection: ClientConnection, frame: KeyFrame | StoreAddress): null {
    const address = addressOf(frame);
    connection.subscriptions.delete(address);
    const followed = this.followed.get(address);
    if (!followed || !followed.connections.delete(connection) || followed.connections.size > 0) return null;
    this.followed.delete(address);
    followed.subscribed.then((undo) => undo()).catch(() => {});
    return null;
  }

  async keyStats(frame: KeyFrame): Promise<WireStats> {
    const { version } = await this.store.read(frame);
    const subscribers = this.followed.get(addressOf(frame))?.connections.size ?? 0;
    return { serverId: this.serverId, version, subscribers, connections: this.connections.size };
  }

  drop(connection: ClientConnection): void {
    if (!this.connections.delete(connection)) return;
    for (const address of [...connection.subscriptions]) {
      const followed = this.followed.get(address);
      if (followed) this.unsubscribe(connection, followed.address);
    }
  }

  private fanOut(followed: Followed, event: StoreEvent): void {
    const text = `{"op":"commit","name":${JSON.stringify(event.name)},"key":${JSON.stringify(event.key)},"epoch":${JSON.stringify(event.epoch)},"version":${event.version},"commitId":${JSON.stringify(event.commitId)},"values":${event.valuesJson}}`;
    for (const connection of followed.connections) connection.send(text);
  }

  /** The store may have missed commits (Redis reconnected): push every followed key's latest value. */
  private resync(): void {
    for (const followed of this.followed.values()) {
      this.store.read(followed.address).then((snapshot) => {
        const values = snapshot.version === 0 ? '[null]' : JSON.stringify([snapshot.value]);
        this.fanOut(followed, { ...followed.address, epoch: snapshot.epoch, version: snapshot.version, valuesJson: values, commitId: '' });
      }, () => {});
    }
  }
}
