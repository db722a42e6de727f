// Web Locks as a liveness signal. No event tells a SharedWorker (or a leader tab) that a tab closed or
// crashed, but a lock held for a context's whole life is released when it dies, and whoever waits on
// that lock is then granted it. Web Locks need a secure context; without them nothing is watched.

const forever = new Promise<never>(() => {});

function locks(): LockManager | undefined {
  return globalThis.navigator?.locks;
}

/** Takes `name` for the rest of this context's life; resolves once it is held. */
export function holdLifetimeLock(name: string): Promise<void> {
  const manager = locks();
  if (!manager) return Promise.resolve();
  return new Promise((held) => {
    void manager.request(name, () => {
      held();
      return forever;
    });
  });
}

/** Calls `onGone` once the context holding `name` has died. Returns a function that stops watching. */
export function watchLifetimeLock(name: string, onGone: () => void): () => void {
  const manager = locks();
  if (!manager) return () => {};
  const controller = new AbortController();
  // Granted only after the holder released it, i.e. died; released again at once.
  manager.request(name, { signal: controller.signal }, () => onGone()).catch(() => {});
  return () => controller.abort();
}
