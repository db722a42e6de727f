// createStateServer(): global state shared by every visitor of a site, served over WebSocket from any
// Node http.Server (plain, Express, Fastify: it only listens to `upgrade`).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ClientConnection } from './client-connection.js';
import { resolveLimits, type StateServerLimits } from './limits.js';
import { MemoryStore } from './memory-store.js';
import { checkAllowOrigins, originAllowed, type AllowOrigins } from './origin-policy.js';
import { StateServerCore, type Authorize, type StateServerStats } from './state-server-core.js';
import type { StateStore } from './state-store.js';

export interface StateServerOptions {
  /** Where values live. Default: a new MemoryStore (this process only). */
  store?: StateStore;
  /** Pages allowed to connect: a list of origins, or '*'. Default: pages of the server's own host name. */
  allowOrigins?: AllowOrigins;
  /** Per request: may this client read or write this key? Default: everyone may do everything. */
  authorize?: Authorize;
  limits?: StateServerLimits;
  /** Attach to this server's `upgrade` event right away. */
  server?: Server;
  /** The URL path the state server answers on; other upgrades are left to other handlers. Default '/tabwise-state'. */
  path?: string;
}

export interface StateServer {
  readonly store: StateStore;
  /** Counters: connections, commits, refusals by origin, authorize() and each limit, malformed frames. */
  stats(): StateServerStats;
  /** Listens to `server`'s upgrades on this state server's path. */
  attach(server: Server): void;
  /** Handles one upgrade request yourself; returns false (and leaves it alone) when the path is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every connection (code 1001: clients reconnect elsewhere) and the store. */
  close(): Promise<void>;
}

export function createStateServer(options: StateServerOptions = {}): StateServer {
  const { store = new MemoryStore(), authorize, path = '/tabwise-state' } = options;
  const allowOrigins = checkAllowOrigins(options.allowOrigins);
  if (authorize !== undefined && typeof authorize !== 'function') throw new TypeError('tabwise state server: authorize must be a function');
  const limits = resolveLimits(options.limits);
  const core = new StateServerCore(store, limits, authorize);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytes, perMessageDeflate: false });
  const attached = new Set<Server>();

  const handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    if (pathOf(request) !== path) return false;
    if (!originAllowed(request, allowOrigins)) {
      core.count('refusedOrigins');
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\norigin ${request.headers.origin} is not allowed\n`);
      return true;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const connection = new ClientConnection(core, webSocket, request.headers.origin);
      core.connections.add(connection);
    });
    return true;
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => void handleUpgrade(request, socket, head);
  const server: StateServer = {
    store,
    stats: () => ({ ...core.stats, limits: { ...core.stats.limits }, connections: core.connections.size }),
    attach(httpServer) {
      if (attached.has(httpServer)) return;
      attached.add(httpServer);
      httpServer.on('upgrade', onUpgrade);
    },
    handleUpgrade,
    async close() {
      for (const httpServer of attached) httpServer.off('upgrade', onUpgrade);
      for (const connection of core.connections) connection.socket.close(1001, 'the state server is shutting down');
      await new Promise((resolve) => sockets.close(resolve));
      await store.close();
    },
  };
  if (options.server) server.attach(options.server);
  return server;
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
