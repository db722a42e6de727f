// Web Locks as a liveness signal. No event tells a SharedWorker (or a leader tab, or a page) that a
// tab or worker closed or crashed, but a lock held for a context's whole life is released when it
// dies, and whoever waits on that lock is then granted it. Without Web Locks nothing is watched.
import { webLocks } from './web-locks.js';

export interface HoldLockOptions {
  /** Take it only if nobody holds it now; otherwise resolve to undefined at once. */
  ifAvailable?: boolean;
  /** Gives up waiting for the lock (the promise rejects with the signal's AbortError). */
  signal?: AbortSignal;
}

/**
 * Takes `name` and holds it until the returned function is called (or this context dies); resolves
 * once it is held, or to undefined when `ifAvailable` and another context holds it.
 */
export function holdLock(name: string, options: HoldLockOptions = {}): Promise<(() => void) | undefined> {
  const locks = webLocks();
  if (!locks) return Promise.resolve(() => {});
  return new Promise((held, failed) => {
    locks
      .request(name, options, (lock) => {
        if (!lock) return held(undefined);
        return new Promise<void>((release) => held(release));
      })
      .catch(failed);
  });
}

/** Takes `name` for the rest of this context's life; resolves once it is held. */
export async function holdLifetimeLock(name: string): Promise<void> {
  await holdLock(name);
}

/** Calls `onGone` once the context holding `name` has died. Returns a function that stops watching. */
export function watchLifetimeLock(name: string, onGone: () => void): () => void {
  const locks = webLocks();
  if (!locks) return () => {};
  const controller = new AbortController();
  // Granted only after the holder released it, i.e. died; released again at once.
  locks.request(name, { signal: controller.signal }, () => onGone()).catch(() => {});
  return () => controller.abort();
}
