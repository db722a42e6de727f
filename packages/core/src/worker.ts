// @tabwise/core/worker: what code running inside a dedicated worker may use (no DOM).

// Global state from a worker, through a port the page hands over (openGlobalStorePort)
export { createGlobalState } from './state/create-global-state.js';
export { useGlobalStorePort } from './state/global-store-port.js';
export type { GlobalState, GlobalStateOptions, GlobalStateStats, GlobalStateTransportName } from './state/types.js';
export { GlobalStateKeyError, GlobalStateValueError, GlobalStateConflictError, GlobalStateTransportError } from './state/errors.js';
