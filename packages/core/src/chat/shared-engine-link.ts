// The EngineLink for share: 'origin', one per tab and model. This tab either hosts the engine (its
// own engine worker, while it holds the Web Lock `tabwise-engine-host:<key>`) or is a guest of the
// tab that does, over a MessagePort the engine broker hands over. Either way every call goes
// through this tab's own connection (a SessionGuard in the host worker), so host and guests are
// served alike. See docs/decisions/shared-engine.md.
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { WorkerCrashedError } from '../errors.js';
import { holdLock } from '../lifetime/lifetime-lock.js';
import { WorkerLiveness } from '../lifetime/worker-liveness.js';
import { randomId } from '../random-id.js';
import { dropEngineBroker, engineBroker } from '../state/engine-broker-client.js';
import type { EngineLink } from './engine-link.js';
import type { EngineSharingApi, EngineWorkerApi, SharedConnectionApi } from './engine-worker-api.js';
import type { WorkerLink } from './worker-link.js';

/** This tab's way to the engine: its own worker (host) or a port to another tab's (guest). */
interface Connection {
  readonly remote: Comlink.Remote<SharedConnectionApi>;
  readonly host: boolean;
  readonly worker?: Worker;
  readonly died: Promise<never>;
  race<T>(promise: Promise<T>): Promise<T>;
  close(reason: string): void;
  /** Set when this tab runs its own engine because it could not reach the host. */
  readonly fallbackReason?: string;
}

/** A host that vanishes while a guest connects makes it elect again; past this many tries it gives up. */
const maxConnectAttempts = 5;

/**
 * How long a guest waits for the broker to hand it to the host before it loads its own model
 * (share: 'tab', saying why in `chat.shared.reason`). The broker answers at once when the host is
 * registered; the wait covers a host that took the election lock and is still starting its worker.
 */
let brokerDeadlineMs = 60_000;

/** A guest unanswered this long asks again on a fresh broker port, and calls the host again. */
const askAgainMs = 5_000;

/** Where guests call the host of `key` to register with the broker again (the broker it knows may have ended). */
function hostCallChannel(key: string): BroadcastChannel | undefined {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(`tabwise-engine-guest:${key}`) : undefined;
}

/** @internal Test hook: sets the guest's wait for the broker (TabwiseUnstable.setEngineBrokerDeadline). */
export function setEngineBrokerDeadline(ms: number): void {
  brokerDeadlineMs = ms;
}

export class SharedEngineLink implements EngineLink {
  private connection?: Connection;
  private stoppedReason?: string;
  private readonly ready: Promise<void>;
  private readonly clientLock = `tabwise-engine-client:${randomId()}`;
  private releaseClientLock?: () => void;
  private readonly listeners = new Set<() => void>();
  private markDied!: (error: Error) => void;
  readonly hostGone = new Promise<never>((_, reject) => (this.markDied = reject));
  /** `reason`: set when this tab gave up sharing and runs its own engine (what chat.shared then says). */
  sharing: { host: boolean; tabs: number; reason?: string } = { host: false, tabs: 1 };

  /** `key` names the model (engineKey); `startHostWorker` starts this tab's engine worker if it is elected. */
  constructor(
    private readonly key: string,
    private readonly startHostWorker: () => WorkerLink,
  ) {
    this.hostGone.catch(() => {}); // observed by whoever cares (Chat restarts on it)
    this.ready = this.establish();
    this.ready.catch((error: Error) => this.stop(`it could not connect (${error.message})`));
  }

  get alive(): boolean {
    return this.stoppedReason === undefined;
  }

  /** The engine worker when this tab hosts; undefined in a guest tab. */
  get worker(): Worker | undefined {
    return this.connection?.worker;
  }

  onSharingChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.stoppedReason) throw this.stoppedError();
    await this.ready;
    const connection = this.connection!;
    return connection.race(fn(connection.remote as unknown as Comlink.Remote<EngineWorkerApi>));
  }

  terminate(reason = 'it was disposed'): void {
    this.stop(reason);
    this.connection?.close(reason);
    this.releaseClientLock?.(); // the host frees this tab's sessions
  }

  private stop(reason: string): void {
    if (this.stoppedReason) return;
    this.stoppedReason = reason;
    this.markDied(this.stoppedError());
  }

  private stoppedError(): WorkerCrashedError {
    return new WorkerCrashedError(`the shared engine stopped: ${this.stoppedReason}`);
  }

  private async establish(): Promise<void> {
    // Held before any connection exists: the host watches it to free this tab's sessions.
    this.releaseClientLock = await holdLock(this.clientLock);
    for (let attempt = 1; ; attempt++) {
      if (this.stoppedReason) throw this.stoppedError();
      let connection: Connection | undefined;
      try {
        connection = await this.connect();
        const tabs = await connection.race(connection.remote.join(Comlink.proxy((tabs: number) => this.update({ tabs }))));
        if (this.stoppedReason) throw this.stoppedError();
        this.connection = connection;
        void connection.died.catch((error: Error) => this.stop(`its host went (${error.message})`));
        this.update({ host: connection.host, tabs, reason: connection.fallbackReason });
        return;
      } catch (error) {
        connection?.close('it was replaced');
        // The host went between the broker's answer and ours: elect again.
        if ((error as Error).name !== 'WorkerCrashedError' || this.stoppedReason || attempt >= maxConnectAttempts) throw error;
      }
    }
  }

  /** Hosts if the election lock is free; otherwise joins the host, or hosts if the host goes first. */
  private async connect(): Promise<Connection> {
    const electionLock = `tabwise-engine-host:${this.key}`;
    const release = await holdLock(electionLock, { ifAvailable: true });
    if (release) return this.host(release);
    const waitForLock = new AbortController();
    const elected = holdLock(electionLock, { signal: waitForLock.signal });
    elected.catch(() => {}); // aborted once a host answered
    const started = Date.now();
    const hostCall = hostCallChannel(this.key);
    try {
      for (;;) {
        const { port1, port2 } = new MessageChannel();
        const broker = engineBroker();
        const joined = broker.remote.connect(this.key, Comlink.transfer(port2, [port2]), this.clientLock);
        // The host registers again on a fresh port: the broker instance it knows may have ended (WebKitGTK).
        hostCall?.postMessage('register');
        const left = Math.max(0, brokerDeadlineMs - (Date.now() - started));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const unanswered = new Promise<{ again: true }>((resolve) => (timer = setTimeout(() => resolve({ again: true }), Math.min(askAgainMs, left))));
        const first = await Promise.race([
          elected.then((release) => ({ release })),
          joined.then((hostLock) => ({ hostLock })),
          broker.gone.then(() => ({ again: true as const })),
          unanswered,
        ]);
        clearTimeout(timer);
        if ('release' in first) {
          // The host went before the broker found it: this tab hosts. (The broker hands the port to
          // this tab's worker later; never joined, it is not counted as a tab.)
          port1.close();
          return this.host(first.release!);
        }
        if ('hostLock' in first) {
          waitForLock.abort();
          void elected.then((release) => release?.(), () => {}); // granted just before the abort: hand it back
          return guestConnection(port1, first.hostLock);
        }
        // Unanswered, or that broker instance ended: ask again on a fresh port (if the old one gets
        // through after all, the host serves a port nobody uses until this tab goes).
        port1.close();
        dropEngineBroker(broker);
        if (Date.now() - started >= brokerDeadlineMs) {
          waitForLock.abort();
          void elected.then((release) => release?.(), () => {});
          // Never hang on a host that does not answer (its tab frozen, say): this tab runs its own engine.
          const reason = `share: 'origin' could not reach the tab that hosts this model (the engine broker did not hand this tab to it within ${Math.round(brokerDeadlineMs / 1000)} s), so this tab loads its own model (share: 'tab')`;
          return this.host(() => {}, reason);
        }
      }
    } finally {
      hostCall?.close();
    }
  }

  /**
   * This tab won the election: start its engine worker, connect to it, and offer it to the others.
   * With `fallbackReason`, this tab runs an engine of its own instead and offers it to nobody.
   */
  private async host(releaseElection: () => void, fallbackReason?: string): Promise<Connection> {
    const worker = this.startHostWorker();
    // The election lock goes with the worker: when it dies (or this tab disposes) another tab hosts.
    let workerDied = false;
    void worker.died.catch(() => {
      workerDied = true;
      releaseElection();
    });
    const sharing = worker.remote as unknown as Comlink.Remote<EngineSharingApi>;
    const accept = (port: MessagePort, clientLock: string) => worker.call(() => sharing.acceptConnection(Comlink.transfer(port, [port]), clientLock));
    await worker.lifetimeLockHeld;
    const { port1, port2 } = new MessageChannel();
    await accept(port2, this.clientLock);
    const register = (): Promise<void> => {
      const broker = engineBroker();
      // WebKitGTK may end the broker while this tab hosts, and a fresh one knows no host: register again there.
      void broker.gone.then(() => {
        if (!workerDied) void register().catch(() => {});
      });
      return worker.call(() =>
        broker.remote.host(this.key, worker.lockName, Comlink.proxy((port: MessagePort, clientLock: string) => void accept(port, clientLock).catch(() => {}))),
      );
    };
    if (!fallbackReason) {
      // Not awaited: guests wait at the broker until it arrives, and this tab's own chat needs no broker.
      void register().catch(() => {});
      // A guest that calls finds no host at its broker, or none that answers: register again on a fresh port.
      const guestCalls = hostCallChannel(this.key);
      let lastCall = 0;
      if (guestCalls) {
        guestCalls.onmessage = () => {
          // Guests joining together call together: one fresh registration serves them all.
          if (workerDied || Date.now() - lastCall < 1000) return;
          lastCall = Date.now();
          dropEngineBroker();
          void register().catch(() => {});
        };
        void worker.died.catch(() => guestCalls.close());
      }
    }
    const remote = Comlink.wrap<SharedConnectionApi>(port1);
    return {
      remote,
      host: true,
      worker: worker.worker,
      died: worker.died,
      race: (promise) => worker.call(() => promise),
      close: (reason) => worker.terminate(reason),
      fallbackReason,
    };
  }

  private update(change: Partial<SharedEngineLink['sharing']>): void {
    this.sharing = { ...this.sharing, ...change };
    for (const listener of this.listeners) listener();
  }
}

/** A port to another tab's engine worker; its death is learned from that worker's lifetime lock. */
function guestConnection(port: MessagePort, hostLock: string): Connection {
  const liveness = new WorkerLiveness(undefined, { what: 'the shared engine (hosted by another tab)', errorReason: 'its worker failed' });
  liveness.watchLock(hostLock);
  const remote = Comlink.wrap<SharedConnectionApi>(port);
  return {
    remote,
    host: false,
    died: liveness.died,
    race: (promise) => liveness.race(promise),
    close: (reason) => {
      liveness.stop(reason);
      port.close();
    },
  };
}
