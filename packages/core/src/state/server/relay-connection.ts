// One tab's (or one Node context's) view of a ServerRelay, implementing the same GlobalStoreApi as a
// local store, so StoreClient and its compare-and-set UpdateQueue work unchanged over a state server.
import { watchLifetimeLock } from '../../lifetime/lifetime-lock.js';
import type {
  ClientIdentity,
  CommitMessage,
  CommitRequest,
  CommitResult,
  Snapshot,
  StoreGreeting,
  StoreState,
  StoreStats,
} from '../protocol.js';
import { GlobalStateTransportError } from '../errors.js';
import type { RelayHost } from './relay-host.js';
import type { RelaySubscriber, ServerRelay, ServerTarget } from './server-relay.js';

/** What a client says in its greeting to reach a state server. */
export interface ServerClientIdentity extends ClientIdentity {
  server: ServerTarget;
}

/** Its methods are GlobalStoreApi's, each async (the API as Comlink presents it to the client). */
export class RelayConnection implements RelaySubscriber {
  private relay?: ServerRelay;
  private stopWatching?: () => void;

  constructor(
    private readonly host: RelayHost,
    readonly push: (message: CommitMessage) => void,
    private readonly onClose: () => void = () => {},
  ) {}

  /** A hello's offers are ignored: the server's values outlive it (Redis), and its epoch never changes. */
  async hello(client: ClientIdentity): Promise<StoreGreeting> {
    const { server } = client as ServerClientIdentity;
    if (!server?.url) throw new GlobalStateTransportError('a state server connection needs a server URL');
    this.relay = this.host.relayFor(server);
    // A closed or crashed tab holds its lock no more: drop its subscriptions.
    this.stopWatching ??= watchLifetimeLock(client.lockName, () => this.close());
    await this.host.lockHeld;
    return { transport: 'server', hostId: this.relay.hostId, epoch: '', hostLock: this.host.hostLock };
  }

  async read(name: string, key: string): Promise<Snapshot> {
    return this.server().read(name, key);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    return this.server().commit(request);
  }

  async subscribe(name: string, key: string, _persist: boolean, ids: string[]): Promise<Snapshot> {
    return this.server().subscribe(this, name, key, ids);
  }

  async unsubscribe(name: string, key: string, ids: string[]): Promise<void> {
    this.server().unsubscribe(this, name, key, ids);
  }

  async stats(name: string, key: string): Promise<StoreStats> {
    const { serverId, version, subscribers, connections } = await this.server().stats(name, key);
    return { transport: 'server', hostId: serverId, version, subscribers, connections };
  }

  async attachPort(port: MessagePort): Promise<void> {
    this.host.accept(port);
  }

  async exportState(): Promise<StoreState> {
    return { epoch: '', entries: [] };
  }

  close(): void {
    this.relay?.forget(this);
    this.stopWatching?.();
    this.onClose();
  }

  private server(): ServerRelay {
    if (!this.relay) throw new GlobalStateTransportError('the state server connection was used before its greeting');
    return this.relay;
  }
}
