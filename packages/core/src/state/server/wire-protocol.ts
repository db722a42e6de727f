// The state server's wire protocol: JSON text frames over one WebSocket. Shared by the client in
// @tabwise/core and the server in @tabwise/server (as `@tabwise/core/server-protocol`), so it exists once.
//
//   client → server  { op: 'hello', protocol, token? }                    first frame, once
//                    { id, op: 'read' | 'subscribe' | 'unsubscribe' | 'stats', name, key }
//                    { id, op: 'commit', name, key, expectedEpoch?, expectedVersion?, values, commitId, clientId? }
//   server → client  { op: 'welcome', protocol, serverId }
//                    { id, ok: true, result } | { id, ok: false, error: { name, message, limit? } }
//                    { op: 'commit', name, key, epoch, version, values, commitId }   a push, in commit order

/** Bumped on any incompatible change; a server closes a client of another version with `closeCodes.incompatibleProtocol`. */
export const protocolVersion = 1;

export const closeCodes = {
  /** The client speaks another protocol version; the reason says which ones. Not retried. */
  incompatibleProtocol: 4001,
  /** A frame that is not this protocol (not JSON, an unknown op, a missing field, binary). */
  malformedFrame: 1007,
  /** The server is shutting down; the client reconnects. */
  goingAway: 1001,
} as const;

export type ReadOp = 'read' | 'subscribe' | 'unsubscribe' | 'stats';

export interface HelloFrame {
  op: 'hello';
  protocol: number;
  token?: string;
}

export interface KeyFrame {
  id: number;
  op: ReadOp;
  name: string;
  key: string;
}

export interface CommitFrame {
  id: number;
  op: 'commit';
  name: string;
  key: string;
  /** Compare-and-set against this epoch and version; both absent for a blind write. */
  expectedEpoch?: string;
  expectedVersion?: number;
  values: unknown[];
  /** Unique per attempt: a commit re-sent after a lost connection is applied once. */
  commitId: string;
  /** The tab (or context) committing, for fair turns under contention; many tabs share one connection. */
  clientId?: string;
}

export type RequestFrame = KeyFrame | CommitFrame;

export interface WireSnapshot {
  epoch: string;
  version: number;
  value?: unknown;
}

export type WireCommitResult = { ok: true; epoch: string; version: number } | { ok: false; current: WireSnapshot };

export interface WireStats {
  serverId: string;
  version: number;
  /** Connections subscribed to this key on the server process that answered. */
  subscribers: number;
  /** Open connections on the server process that answered. */
  connections: number;
}

/** Which limit a refused request hit. */
export type LimitName = 'valueBytes' | 'keyLength' | 'keysPerConnection' | 'messagesPerSecond';

export interface WireError {
  /** 'GlobalStateAccessError' | 'GlobalStateLimitError' | 'GlobalStateValueError' | 'GlobalStateServerError' */
  name: string;
  message: string;
  limit?: LimitName;
}

export interface WelcomeFrame {
  op: 'welcome';
  protocol: number;
  serverId: string;
}

export type ReplyFrame = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };

export interface PushFrame {
  op: 'commit';
  name: string;
  key: string;
  epoch: string;
  /** `values[i]` is the value at version `version + i`. */
  version: number;
  values: unknown[];
  commitId: string;
}

export type ServerFrame = WelcomeFrame | ReplyFrame | PushFrame;

/** Commit ids the client sends: what a server accepts (it keeps them for de-duplication). */
export const commitIdPattern = /^[\w:.-]{1,128}$/;
