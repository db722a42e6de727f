// Named errors of global state; callers branch on `name`. The two caller mistakes the API promises as
// TypeErrors stay TypeErrors (`instanceof TypeError` holds) with a more specific name.
import { TabwiseError } from '../errors.js';

/** The key (or the `name` option) is not a non-empty string. */
export class GlobalStateKeyError extends TypeError {
  override name = 'GlobalStateKeyError';

  constructor(what: 'key' | 'name', received: unknown) {
    const got = typeof received === 'string' ? 'an empty string' : received === null ? 'null' : typeof received;
    super(`a global state ${what} must be a non-empty string, got ${got}`);
  }
}

/** A value cannot be structured-cloned (a function, a DOM node, …); nothing was stored. */
export class GlobalStateValueError extends TypeError {
  override name = 'GlobalStateValueError';

  constructor(key: string, cause: unknown) {
    super(`the value for global state "${key}" cannot be cloned (${(cause as Error)?.message ?? cause})`, { cause });
  }
}

/** update() lost the compare-and-set race to other tabs too many times in a row. */
export class GlobalStateConflictError extends TabwiseError {
  override name = 'GlobalStateConflictError';

  constructor(key: string, attempts: number) {
    super(`update of global state "${key}" kept conflicting with other tabs (${attempts} attempts)`);
  }
}

/** No strategy could reach a store, or a forced one cannot be used in this context. */
export class GlobalStateTransportError extends TabwiseError {
  override name = 'GlobalStateTransportError';

  constructor(message: string, options?: ErrorOptions) {
    super(`${message}`, options);
  }
}
