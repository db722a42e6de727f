// A global state on a state server: the same handle, with values checked to be JSON before they leave.
import { GlobalStateHandle } from '../global-state-handle.js';
import { assertJsonValue } from './json-value.js';

export class ServerGlobalStateHandle<T> extends GlobalStateHandle<T> {
  override set(value: T): Promise<void> {
    try {
      assertJsonValue(this.key, value);
    } catch (error) {
      return Promise.reject(error);
    }
    return super.set(value);
  }

  override update(fn: (prev: T) => T | Promise<T>): Promise<T> {
    if (typeof fn !== 'function') return super.update(fn);
    // Checked inside the compare-and-set loop: a non-JSON result rejects this update only.
    return super.update(async (prev) => {
      const next = await fn(prev);
      assertJsonValue(this.key, next);
      return next;
    });
  }
}
