// One WebSocket client of the state server: greets it (protocol version), then answers its requests,
// applying limits and authorize() per request. A frame that breaks the protocol closes this connection
// only; nothing a client sends can throw out of here.
import type { WebSocket } from 'ws';
import {
  closeCodes,
  protocolVersion,
  type CommitFrame,
  type ReplyFrame,
  type RequestFrame,
  type WireError,
} from '@tabwise/core/server-protocol';
import { MalformedFrame, parseHello, parseRequest } from './frames.js';
import { RateLimiter, RequestRefused } from './limits.js';
import { addressOf } from './state-store.js';
import type { StateServerCore } from './state-server-core.js';

let connections = 0;

export class ClientConnection {
  readonly id = connections++;
  private greeted = false;
  private token?: string;
  private readonly keys = new Set<string>();
  readonly subscriptions = new Set<string>();
  private readonly rate: RateLimiter;

  constructor(
    private readonly core: StateServerCore,
    readonly socket: WebSocket,
    readonly origin: string | undefined,
  ) {
    this.rate = new RateLimiter(core.limits.messagesPerSecond);
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => core.drop(this));
    socket.on('error', () => socket.terminate());
  }

  send(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }

  private receive(data: unknown, isBinary: boolean): void {
    try {
      if (isBinary) throw new MalformedFrame('binary frames are not part of the protocol');
      const text = String(data);
      if (!this.greeted) return this.greet(text);
      const frame = parseRequest(text);
      void this.answer(frame);
    } catch (error) {
      if (!(error instanceof MalformedFrame)) {
        console.warn(`tabwise state server: closing a connection after an unexpected error: ${(error as Error)?.message ?? error}`);
        this.socket.close(1011, 'internal error');
        return;
      }
      this.core.count('malformedFrames');
      this.socket.close(closeCodes.malformedFrame, `malformed frame: ${error.message}`.slice(0, 120));
    }
  }

  private greet(text: string): void {
    const hello = parseHello(text);
    if (hello.protocol !== protocolVersion) {
      this.core.count('incompatibleClients');
      const reason = `tabwise state protocol ${hello.protocol} is not supported; this server speaks ${protocolVersion}`;
      this.socket.close(closeCodes.incompatibleProtocol, reason);
      return;
    }
    this.greeted = true;
    this.token = hello.token;
    this.send(JSON.stringify({ op: 'welcome', protocol: protocolVersion, serverId: this.core.serverId }));
  }

  private async answer(frame: RequestFrame): Promise<void> {
    let reply: ReplyFrame;
    try {
      reply = { id: frame.id, ok: true, result: await this.run(frame) };
    } catch (error) {
      reply = { id: frame.id, ok: false, error: this.wireError(error) };
    }
    this.send(JSON.stringify(reply));
  }

  private async run(frame: RequestFrame): Promise<unknown> {
    const { limits } = this.core;
    if (!this.rate.take()) this.refuse('messagesPerSecond', `more than ${limits.messagesPerSecond} messages per second on one connection`);
    if (frame.name.length + frame.key.length > limits.keyLength) {
      this.refuse('keyLength', `the name and key of "${frame.key.slice(0, 40)}…" are longer than ${limits.keyLength} characters`);
    }
    const address = addressOf(frame);
    if (!this.keys.has(address)) {
      if (this.keys.size >= limits.keysPerConnection) this.refuse('keysPerConnection', `one connection may use at most ${limits.keysPerConnection} keys`);
      this.keys.add(address);
    }
    if (frame.op === 'unsubscribe') return this.core.unsubscribe(this, frame);
    await this.authorize(frame);
    switch (frame.op) {
      case 'read':
        return this.core.store.read(frame);
      case 'subscribe':
        return this.core.subscribe(this, frame);
      case 'stats':
        return this.core.keyStats(frame);
      case 'commit':
        this.checkValues(frame);
        return this.core.commit(frame, this.id);
    }
  }

  private checkValues(frame: CommitFrame): void {
    const { valueBytes } = this.core.limits;
    for (const value of frame.values) {
      const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
      if (bytes > valueBytes) this.refuse('valueBytes', `a value of "${frame.key}" is ${bytes} bytes as JSON, over the ${valueBytes}-byte limit; nothing was stored`);
    }
  }

  private async authorize(frame: RequestFrame): Promise<void> {
    const authorize = this.core.authorize;
    if (!authorize) return;
    const op = frame.op === 'commit' ? 'write' : 'read';
    let allowed = false;
    try {
      allowed = (await authorize({ origin: this.origin, name: frame.name, key: frame.key, op, token: this.token })) === true;
    } catch (error) {
      console.warn(`tabwise state server: authorize() threw for ${op} of "${frame.key}"; refused (${(error as Error)?.message})`);
    }
    if (!allowed) {
      this.core.count('refusedByAuthorize');
      throw new RequestRefused('GlobalStateAccessError', `the state server refused to ${op} "${frame.key}"`);
    }
  }

  private refuse(limit: keyof typeof this.core.stats.limits, message: string): never {
    this.core.countLimit(limit);
    throw new RequestRefused('GlobalStateLimitError', `${message} (limit ${limit})`, limit);
  }

  private wireError(error: unknown): WireError {
    if (error instanceof RequestRefused) return { name: error.wireName, message: error.message, limit: error.limit };
    console.warn(`tabwise state server: a request failed: ${(error as Error)?.message ?? error}`);
    return { name: 'GlobalStateServerError', message: 'the store failed to answer (see the server log)' };
  }
}
