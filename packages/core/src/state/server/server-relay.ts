// The one WebSocket a browser profile (or a Node process) keeps per state server and token, shared by
// every tab through the SharedWorker that runs this relay. It forwards requests, keeps one server
// subscription per key however many tabs subscribe, fans pushed commits out to those tabs, and after a
// reconnection renews the subscriptions and hands every subscriber the key's latest value.
import { randomId } from '../../random-id.js';
import { type CommitEvent, type CommitMessage, type CommitRequest, type CommitResult, type Snapshot } from '../protocol.js';
import { ServerSocket } from './server-socket.js';
import type { PushFrame, WireStats } from './wire-protocol.js';

/** Which server a state talks to, and how long a request may wait for the connection. */
export interface ServerTarget {
  url: string;
  token?: string;
  timeoutMs: number;
}

/** Receives the commits of the keys it subscribed to (one tab's endpoint). */
export interface RelaySubscriber {
  push(message: CommitMessage): void;
}

interface Subscription {
  name: string;
  key: string;
  subscribers: Map<RelaySubscriber, Set<string>>;
}

export class ServerRelay {
  readonly hostId = randomId();
  private readonly socket: ServerSocket;
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(readonly target: ServerTarget) {
    this.socket = new ServerSocket({
      ...target,
      onPush: (frame) => this.fanOut(frame),
      onOpen: (reconnected) => {
        if (reconnected) this.renewSubscriptions();
      },
    });
  }

  read(name: string, key: string): Promise<Snapshot> {
    return this.socket.request({ op: 'read', name, key }, key) as Promise<Snapshot>;
  }

  commit({ name, key, expectedEpoch, expectedVersion, values, commitId, clientId }: CommitRequest): Promise<CommitResult> {
    return this.socket.request({ op: 'commit', name, key, expectedEpoch, expectedVersion, values, commitId, clientId }, key) as Promise<CommitResult>;
  }

  stats(name: string, key: string): Promise<WireStats> {
    return this.socket.request({ op: 'stats', name, key }, key) as Promise<WireStats>;
  }

  close(): void {
    this.socket.close();
  }

  /** Registers callbacks by id (a re-sent request counts once); resolves to the key's current value. */
  async subscribe(subscriber: RelaySubscriber, name: string, key: string, ids: string[]): Promise<Snapshot> {
    const address = addressOf(name, key);
    let subscription = this.subscriptions.get(address);
    const first = !subscription;
    if (!subscription) {
      subscription = { name, key, subscribers: new Map() };
      this.subscriptions.set(address, subscription);
    }
    const own = subscription.subscribers.get(subscriber) ?? new Set();
    for (const id of ids) own.add(id);
    subscription.subscribers.set(subscriber, own);
    // Already subscribed on the server: pushes flow, a read gives this tab the current value.
    try {
      return (await this.socket.request({ op: first ? 'subscribe' : 'read', name, key }, key)) as Snapshot;
    } catch (error) {
      this.unsubscribe(subscriber, name, key, ids); // refused (authorize, a limit) or timed out: not followed
      throw error;
    }
  }

  unsubscribe(subscriber: RelaySubscriber, name: string, key: string, ids?: string[]): void {
    const address = addressOf(name, key);
    const subscription = this.subscriptions.get(address);
    const own = subscription?.subscribers.get(subscriber);
    if (!subscription || !own) return;
    for (const id of ids ?? [...own]) own.delete(id);
    if (own.size === 0) subscription.subscribers.delete(subscriber);
    if (subscription.subscribers.size > 0) return;
    this.subscriptions.delete(address);
    this.socket.request({ op: 'unsubscribe', name, key }, key).catch(() => {});
  }

  /** A tab is gone: drop all its callbacks. */
  forget(subscriber: RelaySubscriber): void {
    for (const { name, key, subscribers } of [...this.subscriptions.values()]) {
      if (subscribers.has(subscriber)) this.unsubscribe(subscriber, name, key);
    }
  }

  private fanOut(frame: PushFrame): void {
    const subscription = this.subscriptions.get(addressOf(frame.name, frame.key));
    if (!subscription) return;
    const { name, key, epoch, version, values, commitId } = frame;
    const message: CommitMessage = { commit: { name, key, epoch, version, values, commitId } satisfies CommitEvent };
    for (const subscriber of subscription.subscribers.keys()) subscriber.push(message);
  }

  /** A new socket knows none of our keys: subscribe again and give each tab the latest value. */
  private renewSubscriptions(): void {
    for (const subscription of this.subscriptions.values()) {
      const { name, key } = subscription;
      this.socket.request({ op: 'subscribe', name, key }, key).then(
        (result) => {
          const { epoch, version, value } = result as Snapshot;
          // As a commit event at the snapshot's version: tabs that have it already skip it.
          this.fanOut({ op: 'commit', name, key, epoch, version, values: [value], commitId: '' });
        },
        () => {}, // the socket drops again; the next welcome renews once more
      );
    }
  }
}

function addressOf(name: string, key: string): string {
  return `${name.length}:${name}${key}`;
}
