// The host side of a shared engine (share: 'origin'): every tab that uses this worker's engine
// talks to it through its own MessagePort and SessionGuard. This keeps who owns which session,
// frees a tab's sessions when its lifetime lock is released, and tells every tab how many are served.
import * as Comlink from 'comlink';
import { watchLifetimeLock } from '../lifetime/lifetime-lock.js';
import type { EngineHost } from './engine-host.js';
import { engineKey } from './engine-pool.js';
import type { EngineLoadRequest } from './engine-worker-api.js';
import { SessionGuard } from './session-guard.js';

export class EngineConnections {
  /** Session id → the connection that opened it, across every tab. */
  readonly owners = new Map<string, SessionGuard>();
  private readonly joined = new Map<SessionGuard, (tabs: number) => void>();
  private key?: string;

  constructor(private readonly host: EngineHost) {}

  accept(port: MessagePort, clientLock: string): void {
    const guard = new SessionGuard(this.host, this);
    Comlink.expose(guard, port);
    watchLifetimeLock(clientLock, () => void this.drop(guard, port));
  }

  /** Counts `guard` as a tab; resolves to the tabs now served. */
  join(guard: SessionGuard, onTabs: (tabs: number) => void): number {
    this.joined.set(guard, onTabs);
    this.announce(guard);
    return this.joined.size;
  }

  /** Every tab asks for the same model (the broker routes by it); anything else is refused. */
  checkRequest(request: EngineLoadRequest): void {
    const key = engineKey(request);
    this.key ??= key;
    if (key !== this.key) throw new TypeError(`this shared engine serves ${this.key}, not ${key}`);
  }

  private async drop(guard: SessionGuard, port: MessagePort): Promise<void> {
    const onTabs = this.joined.get(guard);
    this.joined.delete(guard);
    (onTabs as Partial<Comlink.ProxyMarked & { [Comlink.releaseProxy]: () => void }> | undefined)?.[Comlink.releaseProxy]?.();
    await guard.closeAll();
    port.close();
    this.announce();
  }

  private announce(except?: SessionGuard): void {
    for (const [guard, onTabs] of this.joined) {
      if (guard !== except) void Promise.resolve(onTabs(this.joined.size)).catch(() => {});
    }
  }
}
