// A follower's Comlink endpoint to the leader tab. MessagePorts cannot cross a BroadcastChannel, so
// requests go on one channel only the leader listens to, answers come on a channel named after this
// client, and commits come on the channel every tab listens to.
import type { Endpoint } from 'comlink';
import type { ClientIdentity } from './protocol.js';

const prefix = 'tabwise-global-store';
export const requestsChannelName = `${prefix}:requests`;
/** Carries `{ commit }` for every commit and `{ leader: hostId }` when a tab takes over. */
export const eventsChannelName = `${prefix}:events`;
export const leaderLockName = `${prefix}:leader`;
export function inboxChannelName(clientId: string): string {
  return `${prefix}:to:${clientId}`;
}

/** What a follower posts on the requests channel. */
export interface FollowerRequest {
  from: string;
  /** The follower's lifetime lock: the leader watches it from the first request, hello or not. */
  lock: string;
  data: unknown;
}

export class BroadcastEndpoint implements Endpoint {
  private readonly requests = new BroadcastChannel(requestsChannelName);
  private readonly inbox: BroadcastChannel;
  readonly events = new BroadcastChannel(eventsChannelName);
  private closed = false;

  constructor(private readonly client: ClientIdentity) {
    this.inbox = new BroadcastChannel(inboxChannelName(client.id));
  }

  postMessage(data: unknown, transfer?: Transferable[]): void {
    // Like a closed MessagePort, drop what comes late (Comlink's release message for a dropped link).
    if (this.closed) return;
    if (transfer?.length) throw new DOMException('nothing can be transferred over a BroadcastChannel', 'DataCloneError');
    this.requests.postMessage({ from: this.client.id, lock: this.client.lockName, data } satisfies FollowerRequest);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.inbox.addEventListener(type, listener);
    this.events.addEventListener(type, listener);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.inbox.removeEventListener(type, listener);
    this.events.removeEventListener(type, listener);
  }

  close(): void {
    this.closed = true;
    this.requests.close();
    this.inbox.close();
    this.events.close();
  }
}
