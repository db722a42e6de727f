// The leader's side of one follower: requests the BroadcastServer hands in are dispatched as message
// events (for Comlink's expose), answers go out on the follower's own channel.
import type { Endpoint } from 'comlink';
import { inboxChannelName } from './broadcast-endpoint.js';

export class FollowerEndpoint extends EventTarget implements Endpoint {
  private readonly outbox: BroadcastChannel;
  private closed = false;

  constructor(clientId: string, private readonly onClose: () => void) {
    super();
    this.outbox = new BroadcastChannel(inboxChannelName(clientId));
  }

  postMessage(data: unknown): void {
    // An answer to a follower that died meanwhile goes nowhere, as on a closed MessagePort.
    if (!this.closed) this.outbox.postMessage(data);
  }

  deliver(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  close(): void {
    this.closed = true;
    this.outbox.close();
    this.onClose();
  }
}
