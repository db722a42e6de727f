// One tab's view of a shared engine (share: 'origin'): the engine host's API, wrapped so that every
// call naming a session is refused unless this connection opened it. Ids are the chats' random
// ids, but the check does not rely on them staying secret: a session belongs to its connection.
import { SessionAccessError } from '../errors.js';
import type { ChatMessage } from '../engine/conversation.js';
import type { FileProgress } from '../engine/file-store.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { EngineConnections } from './engine-connections.js';
import type { EngineHost } from './engine-host.js';
import type { EngineLoadRequest, EngineTestHooksApi, ModelInfo, SharedConnectionApi } from './engine-worker-api.js';

export class SessionGuard implements SharedConnectionApi, EngineTestHooksApi {
  private readonly sessions = new Set<string>();
  /** Replies in flight, so a closing tab's sessions are freed only once their loop has stopped. */
  private readonly running = new Map<string, Promise<unknown>>();
  private markClosed!: () => void;
  /** Resolves once the tab is gone: token deliveries to it then stop waiting for an answer. */
  private readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(
    private readonly host: EngineHost,
    private readonly connections: EngineConnections,
  ) {}

  async holdLifetimeLock(): Promise<void> {
    throw new TypeError('a shared engine connection has no lifetime lock of its own: watch the host worker\'s');
  }

  join(onTabs: (tabs: number) => void): Promise<number> {
    return Promise.resolve(this.connections.join(this, onTabs));
  }

  load(request: EngineLoadRequest, onProgress?: (progress: FileProgress) => void): Promise<ModelInfo> {
    this.connections.checkRequest(request);
    return this.host.load(request, onProgress);
  }

  async openSession(id: string, history: ChatMessage[]): Promise<void> {
    const owner = this.connections.owners.get(checkedId(id));
    if (owner && owner !== this) throw new SessionAccessError('that session id belongs to another tab; open a session with a new id');
    this.connections.owners.set(id, this);
    this.sessions.add(id);
    await this.host.openSession(id, history);
  }

  reply(id: string, text: string, generation: GenerationOptions, onToken?: (delta: string) => void) {
    this.mine(id);
    // The host waits for the last token's delivery before it ends a turn; a closed tab never answers.
    const deliver = onToken && ((delta: string) => Promise.race([onToken(delta), this.closed]));
    const reply = this.host.reply(id, text, generation, deliver);
    const settled = reply.catch(() => {});
    this.running.set(id, settled);
    void settled.then(() => this.running.get(id) === settled && this.running.delete(id));
    return reply;
  }

  abort(id: string): void {
    this.mine(id);
    this.host.abort(id);
  }

  async history(id: string): Promise<ChatMessage[]> {
    this.mine(id);
    return this.host.history(id);
  }

  async reset(id: string): Promise<void> {
    this.mine(id);
    await this.host.reset(id);
  }

  async undo(id: string): Promise<ChatMessage[]> {
    this.mine(id);
    return this.host.undo(id);
  }

  /** Resolves to the number of sessions this connection still has open. */
  async closeSession(id: string): Promise<number> {
    this.mine(id);
    await this.free(id);
    return this.sessions.size;
  }

  filesCached(): Promise<void> {
    return this.host.filesCached();
  }

  memory() {
    return this.host.memory();
  }

  destroyGpuDevice(): Promise<boolean> {
    return this.host.destroyGpuDevice();
  }

  /** The tab is gone: stops its replies and frees every session it opened. */
  async closeAll(): Promise<void> {
    this.markClosed();
    await Promise.all([...this.sessions].map((id) => this.free(id)));
  }

  private async free(id: string): Promise<void> {
    const running = this.running.get(id);
    if (running) {
      this.host.abort(id);
      await running;
    }
    await this.host.closeSession(id);
    this.sessions.delete(id);
    if (this.connections.owners.get(id) === this) this.connections.owners.delete(id);
  }

  private mine(id: string): void {
    if (!this.sessions.has(checkedId(id))) throw new SessionAccessError('this tab opened no session with that id; a tab may only use its own sessions');
  }
}

function checkedId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new SessionAccessError(`a session id is a non-empty string, got ${typeof id === 'string' ? 'an empty one' : typeof id}`);
  return id;
}
