// Where the tabs of a shared engine (share: 'origin') meet: the global-state SharedWorker script,
// run under its own name (engine-broker-client.ts). The host tab registers per model key; each
// guest's MessagePort is handed to it, now or once a host registers, and the guest learns which
// lifetime lock to watch. The broker only forwards ports: it never sees a session or a message.
import * as Comlink from 'comlink';
import { holdLifetimeLock, watchLifetimeLock } from '../lifetime/lifetime-lock.js';
import { randomId } from '../random-id.js';

export interface EngineBrokerApi {
  /**
   * The lock this broker instance holds for its whole life. WebKitGTK may end the broker and start
   * a fresh one (without the hosts) while tabs still hold ports to the old one, whose calls then go
   * unanswered: tabs watch this lock to register again, or ask again, on a fresh port.
   */
  instance(): Promise<string>;
  /** The host tab: guests for `key` go to `accept` until `hostLock` (its engine worker's lifetime lock) is released. */
  host(key: string, hostLock: string, accept: (port: MessagePort, clientLock: string) => void): void;
  /** A guest: hands `port` to the host of `key` once there is one; resolves to the host's lifetime lock. */
  connect(key: string, port: MessagePort, clientLock: string): Promise<string>;
}

interface Registration {
  hostLock: string;
  accept: (port: MessagePort, clientLock: string) => void;
}

interface Guest {
  port: MessagePort;
  clientLock: string;
  forwarded: (hostLock: string) => void;
}

export class EngineBroker implements EngineBrokerApi {
  private readonly hosts = new Map<string, Registration>();
  private readonly waiting = new Map<string, Guest[]>();
  private readonly lifetimeLock = `tabwise-engine-broker:${randomId()}`;
  // Answered once held: a tab watching it before then would be granted it and think this broker gone.
  private readonly lockHeld = holdLifetimeLock(this.lifetimeLock).catch(() => {});

  async instance(): Promise<string> {
    await this.lockHeld;
    return this.lifetimeLock;
  }

  /** Serves the broker on one tab's port. */
  accept(port: MessagePort): void {
    Comlink.expose(this, port);
  }

  host(key: string, hostLock: string, accept: Registration['accept']): void {
    const registration = { hostLock, accept };
    this.hosts.set(key, registration);
    watchLifetimeLock(hostLock, () => {
      if (this.hosts.get(key) === registration) this.hosts.delete(key);
      (accept as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
    });
    for (const guest of this.waiting.get(key)?.splice(0) ?? []) forward(registration, guest);
    this.waiting.delete(key);
  }

  connect(key: string, port: MessagePort, clientLock: string): Promise<string> {
    return new Promise((forwarded) => {
      const guest = { port, clientLock, forwarded };
      const registration = this.hosts.get(key);
      if (registration) return forward(registration, guest);
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), guest]);
    });
  }
}

function forward({ hostLock, accept }: Registration, { port, clientLock, forwarded }: Guest): void {
  // Not awaited: a host that just died never answers, and the guest learns that from hostLock.
  void Promise.resolve(accept(Comlink.transfer(port, [port]), clientLock)).catch(() => {});
  forwarded(hostLock);
}
