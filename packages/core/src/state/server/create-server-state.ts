// createGlobalState(key, default, { server }) : the branch for state shared by every visitor.
import { GlobalStateValueError } from '../errors.js';
import type { GlobalState, GlobalStateOptions } from '../types.js';
import { assertJsonValue } from './json-value.js';
import { ServerGlobalStateHandle } from './server-state-handle.js';
import { checkServerUrl, serverStoreClient } from './server-store-clients.js';

const defaultTimeoutMs = 10_000;

export function createServerState<T>(key: string, name: string, defaultValue: T, options: GlobalStateOptions): GlobalState<T> {
  const { server, token, timeout = defaultTimeoutMs, transport } = options;
  if (transport !== undefined && transport !== 'server') {
    throw new TypeError(`tabwise: global state "${key}" has a "server" option, so its transport is 'server', not '${transport}'`);
  }
  const url = checkServerUrl(server);
  if (token !== undefined && typeof token !== 'string') throw new TypeError(`tabwise: the "token" option of global state "${key}" must be a string`);
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new RangeError(`tabwise: the "timeout" option of global state "${key}" must be a positive number of milliseconds, got ${String(timeout)}`);
  }
  assertJsonValue(key, defaultValue);
  let defaultCopy: T;
  try {
    defaultCopy = structuredClone(defaultValue);
  } catch (error) {
    throw new GlobalStateValueError(key, error);
  }
  const client = serverStoreClient({ url, token, timeoutMs: timeout });
  client.connection().catch(() => {});
  return new ServerGlobalStateHandle(key, name, defaultCopy, false, client);
}
