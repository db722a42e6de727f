// @tabwise/server: the public names, one by one. Everything else is internal.

// The server: attach to any Node http.Server
export { createStateServer } from './state-server.js';
export type { StateServer, StateServerOptions } from './state-server.js';
export type { Authorize, AuthorizeRequest, StateServerStats } from './state-server-core.js';
export type { StateServerLimits } from './limits.js';
export { defaultLimits } from './limits.js';
export type { AllowOrigins } from './origin-policy.js';

// Where values live
export { MemoryStore } from './memory-store.js';
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export type { StateStore, StoreAddress, StoreCommit, StoreEvent } from './state-store.js';
