// One StoreClient per state server, token and timeout in this context, shared by every state on it.
import { StoreClient } from '../store-client.js';
import type { ServerTarget } from './server-relay.js';
import { closeRelaysHere, ServerTransport } from './server-transport.js';

const clients = new Map<string, StoreClient>();

export function serverStoreClient(target: ServerTarget): StoreClient {
  const id = JSON.stringify([target.url, target.token ?? null, target.timeoutMs]);
  let client = clients.get(id);
  if (!client) {
    client = new StoreClient(new ServerTransport(target));
    clients.set(id, client);
  }
  return client;
}

/**
 * Checks the `server` option: `wss:` anywhere, `ws:` only to this machine (plain WebSocket elsewhere
 * would send every value and token in clear). Returns the normalised URL.
 */
export function checkServerUrl(server: unknown): string {
  let url: URL;
  try {
    url = new URL(String(server), globalThis.location?.href);
  } catch {
    throw new TypeError(`tabwise: the global state "server" option must be a ws:// or wss:// URL, got ${JSON.stringify(server)}`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol === 'wss:' || (url.protocol === 'ws:' && local)) return url.href;
  const why = url.protocol === 'ws:' ? 'ws:// is allowed for localhost only; use wss://' : 'use wss:// (or ws:// for localhost)';
  throw new TypeError(`tabwise: the global state "server" option ${JSON.stringify(String(server))} is refused: ${why}`);
}

/** Closes every state server connection of this context, e.g. so a Node script can exit at once. */
export function closeServerConnections(): void {
  clients.clear();
  closeRelaysHere();
}
