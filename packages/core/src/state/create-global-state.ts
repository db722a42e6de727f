// createGlobalState(): a value shared by every tab of the origin, like a module-level variable on a
// Gradio server that every visitor reads and appends to.
import { GlobalStateKeyError, GlobalStateValueError } from './errors.js';
import { GlobalStateHandle } from './global-state-handle.js';
import { storeClient } from './store-clients.js';
import { transportNames } from './transport-chooser.js';
import type { GlobalState, GlobalStateOptions } from './types.js';

/**
 * @param key which value; any non-empty string.
 * @param defaultValue what get() and subscribers see while no tab has set the key; deep-copied now.
 * @example
 * const scores = createGlobalState('scores', [] as number[], { persist: true });
 * await scores.update((prev) => [...prev, 42]);
 * const off = scores.subscribe((all) => render([...all].sort((a, b) => b - a).slice(0, 3)));
 */
export function createGlobalState<T>(key: string, defaultValue: T, options: GlobalStateOptions = {}): GlobalState<T> {
  const { persist = false, name = 'default', transport } = options;
  if (typeof key !== 'string' || key.length === 0) throw new GlobalStateKeyError('key', key);
  if (typeof name !== 'string' || name.length === 0) throw new GlobalStateKeyError('name', name);
  if (transport !== undefined && !transportNames.includes(transport)) {
    throw new TypeError(`unknown global state transport "${transport}" (one of ${transportNames.join(', ')})`);
  }
  let defaultCopy: T;
  try {
    defaultCopy = structuredClone(defaultValue);
  } catch (error) {
    throw new GlobalStateValueError(key, error);
  }
  const client = storeClient(transport);
  // Connect now, so the first operation doesn't wait for it and `transport` settles early.
  client.connection().catch(() => {});
  return new GlobalStateHandle(key, name, defaultCopy, Boolean(persist), client);
}
