// The page's connection to the engine broker (engine-broker.ts): the global-state SharedWorker's
// script under the name 'tabwise-engine-broker', a worker of its own, so the store's protocol and
// its ports stay as they are. One per page, opened on first use (and again if that instance ends).
import * as Comlink from 'comlink';
import { watchLifetimeLock } from '../lifetime/lifetime-lock.js';
import { webLocks } from '../lifetime/web-locks.js';
import { isCrossOriginScript } from '../workers/cross-origin-worker.js';
import type { EngineBrokerApi } from './engine-broker.js';

/** A port to the broker instance that runs now, and when that instance went. */
export interface BrokerConnection {
  readonly remote: Comlink.Remote<EngineBrokerApi>;
  /**
   * Resolves when the broker instance behind this port has ended (its lifetime lock was released);
   * engineBroker() then opens a fresh port. Never resolves if the instance never answered.
   */
  readonly gone: Promise<void>;
}

let current: BrokerConnection | undefined;

/**
 * Stops using `connection` for new calls: the next engineBroker() opens a fresh port, which reaches
 * the broker instance that runs now (a port to an instance WebKitGTK ended answers nothing).
 */
export function dropEngineBroker(connection: BrokerConnection | undefined = current): void {
  if (current === connection) current = undefined;
}

/** The page's port to the engine broker: opened on first use, and again after its instance ended (or dropEngineBroker()). */
export function engineBroker(): BrokerConnection {
  if (!current) {
    // The one literal form bundlers rewrite; the same file as the store's SharedWorker.
    const worker = new SharedWorker(new URL('./global-store-worker.js', import.meta.url), {
      type: 'module',
      name: 'tabwise-engine-broker',
    });
    const remote = Comlink.wrap<EngineBrokerApi>(worker.port);
    const gone = new Promise<void>((resolve) => {
      remote.instance().then((lock) => watchLifetimeLock(lock, resolve), () => {});
    });
    const connection = { remote, gone };
    void gone.then(() => {
      if (current === connection) current = undefined;
      worker.port.close();
    });
    current = connection;
  }
  return current;
}

/** Why this page cannot share an engine with other tabs; empty when it can. */
export function engineSharingUnavailableReason(): string {
  const fallback = 'so this tab loads its own model (share: \'tab\')';
  if (typeof SharedWorker !== 'function') return `share: 'origin' needs a SharedWorker, which this browser has not got here, ${fallback}`;
  if (isCrossOriginScript(import.meta.url)) {
    return `share: 'origin' needs the engine broker SharedWorker from this page's origin, but tabwise is served from ${new URL(import.meta.url).origin} (a SharedWorker cannot come from another origin), ${fallback}`;
  }
  if (!webLocks()) return `share: 'origin' elects the host tab with Web Locks, which need a secure context (https or localhost), ${fallback}`;
  return '';
}
