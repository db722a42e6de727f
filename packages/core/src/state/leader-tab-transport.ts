// Second choice, where there is no SharedWorker: the tabs elect a leader with a Web Lock (whoever holds
// it leads; the others queue for it) and the leader runs the store, serving the others over
// BroadcastChannel. Followers keep a replica of the store from the leader's commit broadcasts, so the
// next leader carries on with the same values and versions when the leader tab closes.
import { expose } from 'comlink';
import { BroadcastEndpoint, leaderLockName } from './broadcast-endpoint.js';
import { BroadcastServer } from './broadcast-server.js';
import { GlobalStore } from './global-store.js';
import { isCommitMessage, type ClientIdentity, type StoreGreeting } from './protocol.js';
import { StoreHost } from './store-host.js';
import { StorePersistence } from './store-persistence.js';
import { forever, webLocks } from '../lifetime/web-locks.js';
import { openStoreLink, type GlobalStoreTransport, type StoreLink } from './store-transport.js';

/** How long a follower waits for a leader's answer before greeting again. */
const retryGreetingMs = 2_000;

export class LeaderTabTransport implements GlobalStoreTransport {
  readonly name = 'broadcast-channel';
  private host?: StoreHost;
  private readonly replica = new GlobalStore();
  private election?: Promise<void>;

  canBeUsed(): boolean {
    return typeof BroadcastChannel === 'function' && Boolean(webLocks());
  }

  async connect(client: ClientIdentity): Promise<StoreLink> {
    this.election ??= this.joinElection();
    await this.election;
    for (;;) {
      if (this.host) return this.leaderLink(this.host, client);
      const link = await this.followerLink(client);
      if (link) return link;
    }
  }

  /** Leads at once if nobody does; otherwise queues for the lock, to lead when the leader dies. */
  private async joinElection(): Promise<void> {
    const lead = () => {
      this.lead();
      return forever;
    };
    const locks = webLocks()!; // canBeUsed() checked
    const leading = await new Promise<boolean>((resolve) => {
      void locks.request(leaderLockName, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock ? lead() : undefined;
      });
    });
    if (!leading) void locks.request(leaderLockName, lead);
  }

  private lead(): void {
    this.replica.persistence = StorePersistence.ifAvailable();
    this.host = new StoreHost('broadcast-channel', this.replica);
    new BroadcastServer(this.host);
  }

  private leaderLink(host: StoreHost, client: ClientIdentity): Promise<StoreLink> {
    const { port1, port2 } = new MessageChannel();
    host.accept(port2);
    return openStoreLink(port1, client, {
      attachPort: (port, link) => redirect(port, link.greeting),
      close: () => port1.close(),
    });
  }

  /** A link to the leader, or undefined when a new leader spoke up (or none answered) first. */
  private async followerLink(client: ClientIdentity): Promise<StoreLink | undefined> {
    const endpoint = new BroadcastEndpoint(client);
    const abandon = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error('no leader answered')), retryGreetingMs);
      endpoint.events.addEventListener('message', (message) => {
        if ((message as MessageEvent).data?.leader) {
          clearTimeout(timer);
          reject(new Error('a new leader'));
        }
      });
    });
    abandon.catch(() => {});
    try {
      const link = await openStoreLink(endpoint, client, {
        abandon,
        watchHost: true,
        attachPort: (port, link) => redirect(port, link.greeting),
        close: () => endpoint.close(),
      });
      endpoint.events.addEventListener('message', (message) => {
        const data = (message as MessageEvent).data;
        if (isCommitMessage(data)) this.replica.applyCommit(data.commit);
      });
      const state = await Promise.race([link.api.exportState(), link.lost.then(() => undefined)]);
      if (!state) throw new Error('the leader left');
      this.replica.importState(state);
      return link;
    } catch {
      endpoint.close();
      return undefined;
    }
  }
}

/**
 * A worker given a port by a page that uses this strategy joins the channel itself: a relayed port
 * could not follow a change of leader, and BroadcastChannel and Web Locks work in workers.
 */
function redirect(port: MessagePort, greeting: StoreGreeting): void {
  expose({ hello: (): StoreGreeting => ({ ...greeting, connectYourself: true }) }, port);
}
