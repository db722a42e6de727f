// One WebSocket to one state server (per token): requests matched to replies by id, pushes handed to
// `onPush`, and reconnection with exponential backoff and full jitter. A request issued while the
// socket is down waits for it up to `timeoutMs`, then rejects with GlobalStateTransportError; a request
// that timed out before it was sent is dropped, so it is never applied later. Requests in flight when
// the socket drops are re-sent: reads are harmless twice and commits carry ids the server de-duplicates.
import { GlobalStateTransportError } from '../errors.js';
import { errorFromWire } from './server-errors.js';
import { closeCodes, protocolVersion, type CommitFrame, type KeyFrame, type PushFrame, type RequestFrame, type ServerFrame } from './wire-protocol.js';

type RequestBody = Omit<KeyFrame, 'id'> | Omit<CommitFrame, 'id'>;

interface Pending {
  frame: RequestFrame;
  key: string;
  sent: boolean;
  resolve(result: unknown): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface ServerSocketOptions {
  url: string;
  token?: string;
  timeoutMs: number;
  onPush(frame: PushFrame): void;
  /** Called after every (re)connection is welcomed, so subscriptions can be renewed. */
  onOpen(reconnected: boolean): void;
}

/** What this context's WebSocket class looks like (the browser's, Node 22's, or the `ws` package's). */
type WebSocketClass = new (url: string) => WebSocket;

const backoffStartMs = 200;
const backoffMaxMs = 5_000;

export class ServerSocket {
  private socket?: WebSocket;
  private open = false;
  private closed = false;
  private failure?: Error;
  private attempts = 0;
  private connections = 0;
  private nextId = 1;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: ServerSocketOptions) {
    void this.connect();
  }

  request(body: RequestBody, key: string): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new GlobalStateTransportError(`the connection to ${this.options.url} was closed`));
    const frame = { ...body, id: this.nextId++ } as RequestFrame;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.expire(frame.id), this.options.timeoutMs);
      this.pending.set(frame.id, { frame, key, sent: false, resolve, reject, timer });
      this.holdProcess();
      if (this.open) this.send(this.pending.get(frame.id)!);
    });
  }

  /** Closes for good: pending requests reject, no reconnection. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'client closed');
    this.rejectAll(new GlobalStateTransportError(`the connection to ${this.options.url} was closed`));
  }

  private async connect(): Promise<void> {
    if (this.closed || this.failure) return;
    let socket: WebSocket;
    try {
      socket = new (await webSocketClass())(this.options.url);
    } catch (error) {
      this.fail(new GlobalStateTransportError(`cannot open a WebSocket to ${this.options.url} (${(error as Error).message})`, { cause: error }));
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ op: 'hello', protocol: protocolVersion, token: this.options.token }));
    });
    socket.addEventListener('message', (event) => this.receive(socket, event.data));
    socket.addEventListener('close', (event) => this.dropped(socket, event.code, event.reason));
    socket.addEventListener('error', () => {}); // a close event follows
  }

  /**
   * In Node (`ws`), an open socket keeps the process alive. Hold it only while requests wait for
   * answers, so a script exits once its work is done even with subscriptions open.
   */
  private holdProcess(): void {
    const tcp = (this.socket as unknown as { _socket?: { ref?(): void; unref?(): void } } | undefined)?._socket;
    if (this.pending.size > 0) tcp?.ref?.();
    else tcp?.unref?.();
  }

  private receive(socket: WebSocket, data: unknown): void {
    if (socket !== this.socket || typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if ('op' in frame && frame.op === 'welcome') {
      this.open = true;
      this.attempts = 0;
      const reconnected = this.connections++ > 0;
      for (const pending of this.pending.values()) this.send(pending);
      this.holdProcess();
      this.options.onOpen(reconnected);
    } else if ('op' in frame && frame.op === 'commit') {
      this.options.onPush(frame);
    } else if ('id' in frame) {
      const pending = this.pending.get(frame.id);
      if (!pending) return;
      this.settle(pending);
      if (frame.ok) pending.resolve(frame.result);
      else pending.reject(errorFromWire(frame.error, pending.key));
    }
  }

  private dropped(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.open = false;
    this.socket = undefined;
    if (code === closeCodes.incompatibleProtocol) {
      this.fail(new GlobalStateTransportError(`the state server at ${this.options.url} refused this client: ${reason}`));
      return;
    }
    if (this.closed) return;
    // Full jitter: clients cut off together don't all come back at the same moment.
    const ceiling = Math.min(backoffMaxMs, backoffStartMs * 2 ** this.attempts++);
    this.retryTimer = setTimeout(() => void this.connect(), Math.random() * ceiling);
    if (this.pending.size === 0) unref(this.retryTimer);
  }

  private send(pending: Pending): void {
    pending.sent = true;
    this.socket?.send(JSON.stringify(pending.frame));
  }

  /** The timeout passed: a request never sent is dropped; one in flight may or may not have been applied. */
  private expire(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.settle(pending);
    const seconds = this.options.timeoutMs / 1000;
    const what = pending.sent
      ? `no answer from the state server at ${this.options.url} within ${seconds} s (the request was sent; a commit may have been applied)`
      : `the state server at ${this.options.url} was unreachable for ${seconds} s; nothing was sent`;
    pending.reject(new GlobalStateTransportError(what));
  }

  private settle(pending: Pending): void {
    clearTimeout(pending.timer);
    this.pending.delete(pending.frame.id);
    this.holdProcess();
  }

  private fail(error: Error): void {
    this.failure = error;
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    for (const pending of [...this.pending.values()]) {
      this.settle(pending);
      pending.reject(error);
    }
  }
}

let webSocketClassPromise: Promise<WebSocketClass> | undefined;

/** The platform's WebSocket; in Node 20 (none built in) the `ws` package, which has the same API. */
function webSocketClass(): Promise<WebSocketClass> {
  if (typeof globalThis.WebSocket === 'function') return Promise.resolve(globalThis.WebSocket);
  // A specifier bundlers can't see through (a const would be folded back into a literal, which
  // Vite's dev server then fails to resolve), so they leave this Node-only import alone.
  webSocketClassPromise ??= import(/* @vite-ignore */ /* webpackIgnore: true */ nodeOnlyPackage('ws')).then(
    (module) => module.WebSocket ?? module.default,
    (error) => {
      throw new GlobalStateTransportError('this runtime has no WebSocket; install the "ws" package', { cause: error });
    },
  );
  return webSocketClassPromise;
}

function unref(handle: unknown): void {
  (handle as { unref?(): void } | undefined)?.unref?.();
}

/** Returns `name`: called, not inlined, so no bundler resolves the package at build time. */
function nodeOnlyPackage(name: string): string {
  return name;
}
