// A transport is one way of reaching a store (SharedWorker, leader tab, in-tab, a handed-over port).
// Whatever the way, the result is a StoreLink: a Comlink endpoint on which the client calls the
// GlobalStoreApi and receives `{ commit }` pushes.
import { transfer, wrap, type Endpoint, type Remote } from 'comlink';
import { GlobalStateTransportError } from './errors.js';
import { watchLifetimeLock } from '../lifetime/lifetime-lock.js';
import { forever } from '../lifetime/web-locks.js';
import type { ClientHello, GlobalStoreApi, StoreGreeting } from './protocol.js';
import type { GlobalStateTransportName } from './types.js';

export interface StoreLink {
  readonly greeting: StoreGreeting;
  readonly api: Remote<GlobalStoreApi>;
  readonly endpoint: Endpoint;
  /** Resolves when the store behind this link is gone; the client then connects again. */
  readonly lost: Promise<void>;
  /** Lets a dedicated worker reach the same store through `port`. */
  attachPort(port: MessagePort): void;
  close(): void;
}

export interface GlobalStoreTransport {
  /** The strategy this transport is, or expects to end up with before it has connected. */
  readonly name: GlobalStateTransportName;
  /** Whether this context has what the strategy needs; the first usable strategy wins. */
  canBeUsed(): boolean;
  connect(client: ClientHello): Promise<StoreLink>;
}

export interface LinkOptions {
  /** Rejects to give up waiting for the store's greeting (a failed worker, a change of leader). */
  abandon?: Promise<never>;
  /** The how-many-th port this client greets the store on (GlobalStoreApi.hello); 1 if absent. */
  attempt?: number;
  /** Watch the store's lifetime lock so the link is lost when the store dies. */
  watchHost?: boolean;
  /** How long to wait for the store's greeting; 15 s if absent. */
  greetingTimeoutMs?: number;
  attachPort?(port: MessagePort, link: StoreLink): void;
  close?(): void;
}

/** Greets the store on `endpoint` and returns the link once it answered. */
export async function openStoreLink(endpoint: Endpoint, client: ClientHello, options: LinkOptions = {}): Promise<StoreLink> {
  const api = wrap<GlobalStoreApi>(endpoint);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GlobalStateTransportError('the global store did not answer')), options.greetingTimeoutMs ?? 15_000);
  });
  try {
    const greeting = await Promise.race([api.hello(client, options.attempt ?? 1), options.abandon ?? forever, timeout]);
    const lost = options.watchHost
      ? new Promise<void>((resolve) => watchLifetimeLock(greeting.hostLock, resolve))
      : forever;
    const link: StoreLink = {
      greeting,
      api,
      endpoint,
      lost,
      attachPort: (port) => (options.attachPort ? options.attachPort(port, link) : void api.attachPort(transfer(port, [port]))),
      close: () => options.close?.(),
    };
    return link;
  } finally {
    clearTimeout(timer);
  }
}
