// @tabwise/core/server-protocol: what @tabwise/server shares with this package, so each exists once:
// the wire protocol, and the fair turns for compare-and-set under contention (see CommitTurns).
export * from './state/server/wire-protocol.js';
export { CommitTurns } from './state/commit-turns.js';
