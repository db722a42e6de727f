// Named errors of server-scoped global state; each crosses the worker boundary by `name`.
import { TabwiseError } from '../../errors.js';
import { GlobalStateTransportError, GlobalStateValueError } from '../errors.js';
import type { LimitName, WireError } from './wire-protocol.js';

/** The server's `authorize()` refused this read or write; nothing changed and the connection stays up. */
export class GlobalStateAccessError extends TabwiseError {
  override name = 'GlobalStateAccessError';
}

/** A server limit refused the request (value size, key length, keys per connection, messages per second). */
export class GlobalStateLimitError extends TabwiseError {
  override name = 'GlobalStateLimitError';

  constructor(
    message: string,
    readonly limit?: LimitName,
  ) {
    super(message);
  }
}

/** The error a server answered with, as the named class the caller branches on. */
export function errorFromWire(error: WireError, key: string): Error {
  const message = `tabwise: ${error.message}`;
  switch (error.name) {
    case 'GlobalStateAccessError':
      return new GlobalStateAccessError(message);
    case 'GlobalStateLimitError':
      return new GlobalStateLimitError(message, error.limit);
    case 'GlobalStateValueError':
      return new GlobalStateValueError(key, new Error(error.message));
    default:
      return new GlobalStateTransportError(`the state server failed: ${error.message}`);
  }
}
