// The leader tab serves followers over BroadcastChannel: one StoreConnection per follower client,
// created when its first request arrives. Every commit is broadcast once, both as the followers'
// subscription feed and to keep their replicas current for when one of them takes over.
import { eventsChannelName, requestsChannelName, type FollowerRequest } from './broadcast-endpoint.js';
import { FollowerEndpoint } from './follower-endpoint.js';
import type { CommitMessage } from './protocol.js';
import type { StoreHost } from './store-host.js';

export class BroadcastServer {
  private readonly requests = new BroadcastChannel(requestsChannelName);
  private readonly events = new BroadcastChannel(eventsChannelName);
  private readonly followers = new Map<string, FollowerEndpoint>();

  constructor(private readonly host: StoreHost) {
    host.store.onCommit = (commit) => this.events.postMessage({ commit } satisfies CommitMessage);
    this.requests.onmessage = (message: MessageEvent<FollowerRequest>) => this.receive(message.data);
    // Followers waiting for a leader (or talking to the one that died) greet this one.
    this.events.postMessage({ leader: host.hostId });
  }

  private receive({ from, lock, data }: FollowerRequest): void {
    let follower = this.followers.get(from);
    // Comlink's release of a link this leader never served (the old leader's): nothing to release,
    // and taken as a first request it would leave a connection that answers nothing.
    if (!follower && (data as { type?: string } | null)?.type === 'RELEASE') return;
    if (!follower) {
      follower = new FollowerEndpoint(from, () => this.followers.delete(from));
      this.followers.set(from, follower);
      // The first request need not be a hello: one a follower sent to the leader before (a call)
      // reaches this one too. With its lock watched from here, a follower that dies before its hello
      // leaves no connection behind (seen: Chromium, a page closing as the leader changed).
      this.host.accept(follower, { pushesCommits: false, clientLock: lock });
    }
    follower.deliver(data);
  }
}
