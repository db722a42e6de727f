// The page-side Chat: one tab's conversation with a model running in the engine worker.
// It queues sends (one at a time per session, like Gradio's default concurrency), keeps a
// snapshot of the history after every turn, and rebuilds the session in a fresh worker if the
// old one died (with share: 'origin', in whichever tab hosts the engine next).
import * as Comlink from 'comlink';
import { AbortError, ChatDisposedError, EmptyMessageError } from '../errors.js';
import type { SharedStatus, ShareMode } from './shared-status.js';
import { randomId } from '../random-id.js';
import type { TurnStats } from '../engine/engine.js';
import type { FileProgress } from '../engine/file-store.js';
import type { Device } from '../engine/onnx-runtime.js';
import type { PhaseTimes } from '../engine/phase-profile.js';
import { resolveGenerationOptions, type GenerationOptions } from '../generation/generation-options.js';
import type { ChatMessage } from '../engine/conversation.js';
import type { EngineLink } from './engine-link.js';
import { acquireEngine, releaseEngine, type PooledEngine } from './engine-pool.js';
import type { EngineLoadRequest, ModelInfo } from './engine-worker-api.js';

export interface SendOptions {
  onToken?: (delta: string) => void;
  signal?: AbortSignal;
  /** Overrides the chat's generation options for this turn. */
  generation?: GenerationOptions;
}

export interface ChatInit {
  request: EngineLoadRequest;
  generation: GenerationOptions;
  /** Starts the engine: a worker in a page, this process in Node. */
  startLink: () => EngineLink;
  onProgress?: (progress: FileProgress) => void;
  /** What was asked for, what runs ('origin': startLink gives a SharedEngineLink), and why they differ. */
  share: { requested: ShareMode; mode: ShareMode; reason: string };
}

/** Each chat's current engine link and session id, for the test hooks (test-hooks.ts) and nothing else. */
const engineLinks = new WeakMap<Chat, () => EngineLink>();
const sessionIds = new WeakMap<Chat, string>();

/** @internal The id `chat`'s session has in its engine. */
export function sessionIdOf(chat: Chat): string {
  const id = sessionIds.get(chat);
  if (!id) throw new TypeError('not a Chat made by createChat()');
  return id;
}

/** @internal The worker link `chat` uses now (a restarted worker is a new link). */
export function engineLinkOf(chat: Chat): EngineLink {
  const link = engineLinks.get(chat);
  if (!link) throw new TypeError('not a Chat made by createChat()');
  return link();
}

export class Chat {
  private engine: PooledEngine;
  private info!: ModelInfo;
  private snapshot: ChatMessage[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private running?: { abort(): void };
  private disposed = false;
  /** Bumped by reset(): a turn stopped by a reset must not bring the old history back. */
  private epoch = 0;
  private readonly id = randomId();
  private readonly sharedListeners = new Set<(status: SharedStatus) => void>();
  private stopWatchingLink?: () => void;
  /** Stats of the last completed turn. */
  stats?: TurnStats;
  /** Set when the last turn's message or history had to be cut to fit the context. */
  lastNotice?: string;

  private constructor(private readonly init: ChatInit) {
    this.engine = acquireEngine(init.request, init.share.mode, init.startLink, init.onProgress);
    engineLinks.set(this, () => this.engine.link);
    sessionIds.set(this, this.id);
  }

  static async create(init: ChatInit): Promise<Chat> {
    const chat = new Chat(init);
    try {
      await chat.attach();
    } catch (error) {
      chat.release();
      throw error;
    }
    return chat;
  }

  /** Waits for the model and opens this chat's session, restoring the snapshot if any. */
  private async attach(): Promise<void> {
    this.info = await this.engine.info;
    const link = this.engine.link;
    await link.call((remote) => remote.openSession(this.id, this.snapshot));
    this.watchLink(link);
  }

  /**
   * A shared engine's changes reach `onSharedChange` listeners; when its host goes, this chat
   * moves to the next host at once (rather than at the next send), so the page can show it.
   */
  private watchLink(link: EngineLink): void {
    this.stopWatchingLink?.();
    this.stopWatchingLink = link.onSharingChange?.(() => this.announceShared());
    this.announceShared();
    void link.hostGone?.catch(() => {
      if (this.disposed || this.engine.link !== link) return;
      this.enqueue(async () => {
        if (!this.disposed && !this.engine.link.alive) await this.restart();
      }).catch(() => {}); // the next send tries again
    });
  }

  /**
   * Whether this chat shares the origin's engine (share: 'origin'), whether this tab hosts it and
   * how many tabs it serves; `reason` says why it runs per tab when sharing was asked for.
   */
  get shared(): SharedStatus {
    const { requested, mode, reason } = this.init.share;
    const sharing = this.engine.link.sharing;
    // A shared link that could not reach its host runs this tab's own engine: that is 'tab', and it says why.
    if (sharing?.reason) return { requested, mode: 'tab', reason: sharing.reason, host: true, tabs: 1 };
    return { requested, mode, reason, host: sharing?.host ?? true, tabs: sharing?.tabs ?? 1 };
  }

  /** Calls `listener` with `shared` whenever it changes (tabs joining or leaving, a new host); returns a function that stops it. */
  onSharedChange(listener: (status: SharedStatus) => void): () => void {
    this.sharedListeners.add(listener);
    return () => this.sharedListeners.delete(listener);
  }

  private announceShared(): void {
    const status = this.shared;
    for (const listener of this.sharedListeners) listener(status);
  }

  /** 'webgpu' or 'wasm': what actually runs. */
  get device(): Device {
    return this.info.device;
  }

  /** Why the device is not the one asked for (empty when nothing fell back). */
  get deviceReason(): string {
    return this.info.deviceReason;
  }

  /** WASM threads the engine runs on (1 on WebGPU, and on pages that are not cross-origin isolated). */
  get threads(): number {
    return this.info.threads;
  }

  /** Why WASM threads are off or limited, and how to turn them on (empty when nothing to say). */
  get threadsReason(): string {
    return this.info.threadsReason;
  }

  get dtype(): string {
    return this.info.dtype;
  }

  /** The engine's load, phase by phase, when the chat was created with `profile: true`. */
  get loadPhases(): PhaseTimes | undefined {
    return this.info.loadPhases;
  }

  /** This tab's session state: the conversation so far. */
  get history(): ChatMessage[] {
    return this.snapshot.map((message) => ({ ...message }));
  }

  /** The engine's worker, shared by the chats of this tab that use the same model (undefined in Node, and in a shared engine's guest tab). */
  get worker(): Worker {
    return this.engine.link.worker as Worker;
  }

  /** Sends a user message; resolves to the full reply. Rejects with AbortError when `signal` stops it. */
  send(text: string, options: SendOptions = {}): Promise<string> {
    try {
      this.check(text, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const generation = resolveGenerationOptions(options.generation ?? {}, this.init.generation);
    return this.enqueue(() => this.turn(text, generation, options));
  }

  /** Sends a user message and yields the reply as text deltas. */
  async *stream(text: string, options: Omit<SendOptions, 'onToken'> = {}): AsyncGenerator<string, string> {
    const deltas: string[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const done = this.send(text, {
      ...options,
      onToken: (delta) => {
        deltas.push(delta);
        wake?.();
      },
    }).finally(() => {
      finished = true;
      wake?.();
    });
    done.catch(() => {}); // rethrown below, after the deltas that arrived
    while (true) {
      if (deltas.length) {
        yield deltas.shift()!;
        continue;
      }
      if (finished) return await done;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }

  /** Clears this tab's conversation; a reply in progress is stopped first. */
  reset(): Promise<void> {
    if (this.disposed) return Promise.reject(new ChatDisposedError('this chat was disposed'));
    this.running?.abort();
    this.epoch++;
    this.snapshot = [];
    this.stats = undefined;
    return this.enqueue(async () => {
      if (!this.engine.link.alive) return; // the next send opens an empty session anyway
      await this.engine.link.call((remote) => remote.reset(this.id));
    });
  }

  /**
   * Removes the last user message and its reply from this tab's session (what "Retry" needs);
   * resolves to that message's text, or undefined when the history is empty.
   */
  undo(): Promise<string | undefined> {
    if (this.disposed) return Promise.reject(new ChatDisposedError('this chat was disposed'));
    this.running?.abort();
    return this.enqueue(async () => {
      const lastUser = this.snapshot.map((message) => message.role).lastIndexOf('user');
      if (lastUser < 0) return undefined;
      const text = this.snapshot[lastUser].content;
      this.snapshot = this.snapshot.slice(0, lastUser);
      if (this.engine.link.alive) this.snapshot = await this.engine.link.call((remote) => remote.undo(this.id));
      return text;
    });
  }

  /** Closes the session; the worker and the model are freed with the last chat that uses them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.running?.abort();
    this.disposed = true;
    await this.queue.catch(() => {});
    if (this.engine.link.alive) {
      await this.engine.link.call((remote) => remote.closeSession(this.id)).catch(() => {});
      // The last chat out ends the worker, which would cut a Cache API write still running.
      await this.engine.link.call((remote) => remote.filesCached()).catch(() => {});
    }
    this.release();
  }

  private release(): void {
    this.stopWatchingLink?.();
    releaseEngine(this.engine, this.init.request, this.init.share.mode);
  }

  private check(text: string, options: SendOptions): void {
    if (this.disposed) throw new ChatDisposedError('this chat was disposed');
    if (typeof text !== 'string') throw new TypeError(`message must be a string, got ${typeof text}`);
    if (text.trim() === '') throw new EmptyMessageError('message is empty: type something to send');
    if (options.signal?.aborted) throw new AbortError('the message was aborted before it was sent');
    if (options.onToken !== undefined && typeof options.onToken !== 'function') throw new TypeError('onToken must be a function');
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => {});
    return result;
  }

  private async turn(text: string, generation: GenerationOptions, { onToken, signal }: SendOptions): Promise<string> {
    if (this.disposed) throw new ChatDisposedError('this chat was disposed');
    if (signal?.aborted) throw new AbortError('the message was aborted before it was sent');
    if (!this.engine.link.alive) await this.restart();
    const link = this.engine.link;
    const epoch = this.epoch;
    const abort = () => void link.call(async (remote) => remote.abort(this.id)).catch(() => {});
    this.running = { abort };
    signal?.addEventListener('abort', abort);
    const historyBefore = this.snapshot;
    // What has streamed so far, kept if the engine dies mid-reply.
    let streamed = '';
    // Tokens travel on their own port: one posted just before the engine died can arrive after the
    // call failed. It is dropped, so onToken never runs after send settles and the kept partial
    // turn holds exactly what onToken was given.
    let settled = false;
    const onDelta = (delta: string) => {
      if (settled) return;
      streamed += delta;
      onToken?.(delta);
    };
    try {
      const reply = link.call((remote) => remote.reply(this.id, text, generation, Comlink.proxy(onDelta)));
      const result = await reply.finally(() => (settled = true));
      this.snapshot = result.history;
      this.stats = result.stats;
      this.info = { ...this.info, device: result.device, deviceReason: result.deviceReason };
      this.lastNotice = result.notice;
      return result.reply;
    } catch (error) {
      // An aborted reply is kept, marked interrupted; pick it up for the snapshot.
      if ((error as Error).name === 'AbortError' && epoch === this.epoch) {
        const history = await link.call((remote) => remote.history(this.id)).catch(() => this.snapshot);
        if (epoch === this.epoch) this.snapshot = history;
      }
      // The engine died mid-turn: keep the turn as an abort would, so the restored session has it.
      if ((error as Error).name === 'WorkerCrashedError' && epoch === this.epoch) {
        this.snapshot = [...historyBefore, { role: 'user', content: text }, { role: 'assistant', content: streamed, interrupted: true }];
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
      this.running = undefined;
    }
  }

  /** The worker died: start a fresh one (the model comes from the Cache API) and restore the session. */
  private async restart(): Promise<void> {
    this.release();
    this.engine = acquireEngine(this.init.request, this.init.share.mode, this.init.startLink);
    await this.attach();
  }
}
