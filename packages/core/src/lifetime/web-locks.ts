// The two primitives every liveness helper shares. Web Locks need a secure context (and are missing
// in some embedders), so each caller asks `webLocks()` and, without them, watches nothing.

/** This context's LockManager, or undefined where Web Locks are unavailable. */
export function webLocks(): LockManager | undefined {
  return globalThis.navigator?.locks;
}

/** Never settles: returned from a lock callback, it keeps the lock for the rest of the context's life. */
export const forever = new Promise<never>(() => {});
