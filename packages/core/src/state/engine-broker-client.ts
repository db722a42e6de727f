// The page's connection to the engine broker (engine-broker.ts): the global-state SharedWorker's
// script under the name 'tabwise-engine-broker', a worker of its own, so the store's protocol and
// its ports stay as they are. One per page, opened on first use.
import * as Comlink from 'comlink';
import { webLocks } from '../lifetime/web-locks.js';
import { isCrossOriginScript } from '../workers/cross-origin-worker.js';
import type { EngineBrokerApi } from './engine-broker.js';

let broker: Comlink.Remote<EngineBrokerApi> | undefined;

export function engineBroker(): Comlink.Remote<EngineBrokerApi> {
  if (!broker) {
    // The one literal form bundlers rewrite; the same file as the store's SharedWorker.
    const worker = new SharedWorker(new URL('./global-store-worker.js', import.meta.url), {
      type: 'module',
      name: 'tabwise-engine-broker',
    });
    broker = Comlink.wrap<EngineBrokerApi>(worker.port);
  }
  return broker;
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
