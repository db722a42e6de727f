// Web Locks as a liveness signal. No event tells a SharedWorker (or a leader tab, or a page) that a
// tab or worker closed or crashed, but a lock held for a context's whole life is released when it
// dies, and whoever waits on that lock is then granted it. Without Web Locks nothing is watched.
import { forever, webLocks } from './web-locks.js';

/** Takes `name` for the rest of this context's life; resolves once it is held. */
export function holdLifetimeLock(name: string): Promise<void> {
  const locks = webLocks();
  if (!locks) return Promise.resolve();
  return new Promise((held) => {
    void locks.request(name, () => {
      held();
      return forever;
    });
  });
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
