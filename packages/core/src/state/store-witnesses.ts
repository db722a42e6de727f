// Who may hold values of a SharedWorker store that is gone. WebKitGTK replaces the store's SharedWorker
// while pages use it; the new instance starts empty and the pages re-seed it (restore offers). But a
// tab opened meanwhile could commit to the empty store first, and the offers, of keys that now have a
// value, were refused: every update that only the old store and a closed tab had seen was lost (the
// 50-tab test, 9 of 15 in WebKit). So the store names a witness lock in its greeting, which every
// client holds from then on, and a new store instance waits, before it serves, until the witnesses
// alive at its start have greeted it with their offers, or have gone. The lock names the store's
// script: tabs of another build (another URL, so another SharedWorker, alive beside this one) are
// not waited for.
import { watchLifetimeLock } from '../lifetime/lifetime-lock.js';
import { webLocks } from '../lifetime/web-locks.js';

/**
 * A witness whose greeting never comes (its page hung, its port dead) holds the store back no longer
 * than this. A client greets again on a new port after 3 s (shared-worker-transport.ts).
 */
const witnessDeadlineMs = 10_000;

export class StoreWitnesses {
  /** Resolves once every witness alive at the store's start has greeted or gone, or at the deadline. */
  readonly heardAll: Promise<void>;
  private readonly greeted = new Set<string>();
  private waitingFor?: Set<string>;
  private settle!: () => void;
  private readonly prefix: string;

  /** @param storeUrl this store's script URL (a SharedWorker's `location.href`) */
  constructor(storeUrl: string, deadlineMs = witnessDeadlineMs) {
    // The client's id follows (a URL has no space in it).
    this.prefix = `tabwise-global-store:witness:${storeUrl} `;
    this.heardAll = new Promise<void>((resolve) => (this.settle = resolve));
    const timer = setTimeout(() => this.settle(), deadlineMs);
    void this.heardAll.then(() => clearTimeout(timer));
    void this.find().then((ids) => {
      this.waitingFor = new Set(ids.filter((id) => !this.greeted.has(id)));
      for (const id of this.waitingFor) watchLifetimeLock(this.lockFor(id), () => this.heard(id));
      this.settleIfDone();
    }, () => this.settle());
  }

  /** The lock a client holds for its life once it has greeted this store (StoreGreeting.witnessLock). */
  lockFor(clientId: string): string {
    return this.prefix + clientId;
  }

  /** The client has greeted this store and its offers are in (or it is gone). */
  heard(clientId: string): void {
    this.greeted.add(clientId);
    this.waitingFor?.delete(clientId);
    this.settleIfDone();
  }

  private settleIfDone(): void {
    if (this.waitingFor?.size === 0) this.settle();
  }

  private async find(): Promise<string[]> {
    const locks = webLocks();
    if (!locks?.query) return [];
    const { held = [] } = await locks.query();
    return held.flatMap(({ name }) => (name?.startsWith(this.prefix) ? [name.slice(this.prefix.length)] : []));
  }
}
