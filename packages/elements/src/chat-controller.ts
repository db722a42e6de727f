// The link between a <tabwise-chatbot> and its engine worker: loads the model through createChat(),
// runs one turn at a time, and turns what happens into host updates and events. The host renders
// from this controller's fields and never talks to the Chat itself.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  createChat,
  type Chat,
  type ChatMessage,
  type DeviceRequest,
  type DtypeRequest,
  type FileProgress,
  type GenerationOptions,
  type SharedStatus,
  type ShareMode,
  type TurnStats,
} from '@tabwise/core';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { TabwiseMessageEvent } from './events/tabwise-message-event.js';
import { TabwiseReadyEvent } from './events/tabwise-ready-event.js';
import { TabwiseTokenEvent } from './events/tabwise-token-event.js';
import { toError } from './to-error.js';

/** Which model to run, and where. */
export interface ModelRequest {
  model: string;
  revision: string;
  device: DeviceRequest;
  dtype: DtypeRequest;
  /** 'origin': use the engine the origin's tabs share (one model for every tab). */
  share: ShareMode;
}

/** idle: nothing loaded; loading: files coming in; ready: chatting; failed: see loadError. */
export type ChatStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** A turn in flight: what the user sent and the reply so far. */
export interface PendingTurn {
  user: string;
  reply: string;
}


export class ChatController implements ReactiveController {
  status: ChatStatus = 'idle';
  /** Download progress of every model file seen while loading, in the order they started. */
  readonly files = new Map<string, FileProgress>();
  loadError?: Error;
  /** The last send that failed for a reason other than Stop; Retry sends its text again. */
  sendError?: { error: Error; text: string };
  /** The conversation as of the last finished turn. */
  messages: ChatMessage[] = [];
  pending?: PendingTurn;
  /** Timings of the last reply that finished. */
  stats?: TurnStats;
  /** Set when the last message or the history had to be cut to fit the model's context. */
  notice?: string;
  chat?: Chat;

  private request?: ModelRequest;
  private requestKey = '';
  /** Bumped by every load, clear and unload; late results of older work are dropped. */
  private epoch = 0;
  private abortController?: AbortController;
  private turn: Promise<void> = Promise.resolve();
  private unloadTimer?: ReturnType<typeof setTimeout>;
  private stopWatchingShared?: () => void;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get generating(): boolean {
    return this.pending !== undefined;
  }

  /** Why the model runs on WASM although WebGPU was asked for (or allowed, with 'auto'); empty otherwise. */
  get fallbackReason(): string {
    const chat = this.chat;
    return chat && chat.device === 'wasm' && this.request?.device !== 'wasm' ? chat.deviceReason : '';
  }

  /** Whether the model is shared with other tabs, this tab hosts it, and how many tabs it serves. */
  get shared(): SharedStatus | undefined {
    return this.chat?.shared;
  }

  /** The text Retry would send, if any. */
  get retryText(): string | undefined {
    if (this.sendError) return this.sendError.text;
    return [...this.messages].reverse().find((message) => message.role === 'user')?.content;
  }

  hostConnected(): void {
    clearTimeout(this.unloadTimer);
    if (this.status === 'idle' && this.request) void this.load();
  }

  hostDisconnected(): void {
    // Moving an element disconnects and reconnects it in one task: keep the chat through that.
    this.unloadTimer = setTimeout(() => this.unload(), 0);
  }

  /** Runs `request`'s model; a no-op when it is the one already loaded or loading. */
  use(request: ModelRequest): void {
    const key = JSON.stringify(request);
    if (key === this.requestKey) return;
    this.request = request;
    this.requestKey = key;
    if (this.host.isConnected) void this.load();
  }

  /** (Re)loads the requested model: after a failure, or to start over with a fresh worker. */
  async load(): Promise<void> {
    const request = this.request;
    if (!request) return;
    const epoch = this.drop();
    this.status = 'loading';
    this.files.clear();
    this.host.requestUpdate();
    const onProgress = (progress: FileProgress) => {
      if (epoch !== this.epoch) return;
      this.files.set(progress.file, progress);
      this.host.requestUpdate();
    };
    let chat: Chat;
    try {
      chat = await createChat({ ...request, onProgress });
    } catch (error) {
      if (epoch !== this.epoch) return;
      this.status = 'failed';
      this.loadError = toError(error);
      this.host.requestUpdate();
      this.dispatch(new TabwiseErrorEvent(this.loadError, 'load'));
      return;
    }
    if (epoch !== this.epoch) {
      void chat.dispose();
      return;
    }
    this.chat = chat;
    this.stopWatchingShared = chat.onSharedChange(() => this.host.requestUpdate());
    this.status = 'ready';
    this.host.requestUpdate();
    this.dispatch(new TabwiseReadyEvent({ model: request.model, device: chat.device, deviceReason: chat.deviceReason, dtype: chat.dtype }));
  }

  /** Sends a message and streams the reply into `pending`; resolves when the turn is over. */
  send(text: string, generation: GenerationOptions): Promise<void> {
    const chat = this.chat;
    if (!chat || this.pending) return this.turn;
    const epoch = this.epoch;
    const abortController = (this.abortController = new AbortController());
    const pending: PendingTurn = (this.pending = { user: text, reply: '' });
    this.sendError = undefined;
    this.host.requestUpdate();
    this.dispatch(new TabwiseMessageEvent({ role: 'user', content: text }));

    let settled = false;
    const onToken = (delta: string) => {
      // Tokens come over their own port, so a last few may arrive after the reply itself: finishTurn
      // has sent them on already.
      if (settled || epoch !== this.epoch) return;
      pending.reply += delta;
      this.host.requestUpdate();
      this.dispatch(new TabwiseTokenEvent(delta, pending.reply));
    };
    this.turn = chat.send(text, { generation, signal: abortController.signal, onToken }).then(
      () => {
        settled = true;
        if (epoch !== this.epoch) return;
        this.stats = chat.stats;
        this.notice = chat.lastNotice;
        this.finishTurn(chat, pending);
      },
      (error: unknown) => {
        settled = true;
        if (epoch !== this.epoch) return;
        const failure = toError(error);
        if (failure.name !== 'AbortError') {
          this.sendError = { error: failure, text };
          this.dispatch(new TabwiseErrorEvent(failure, 'send'));
        }
        this.finishTurn(chat, pending);
      },
    );
    return this.turn;
  }

  /** Stops the reply being generated; what came so far stays, marked interrupted. */
  stop(): void {
    this.abortController?.abort();
  }

  /** Forgets this tab's conversation (the model stays loaded); a reply in progress is stopped. */
  async clear(): Promise<void> {
    const chat = this.chat;
    this.epoch++;
    this.pending = undefined;
    this.abortController = undefined;
    this.messages = [];
    this.stats = undefined;
    this.notice = undefined;
    this.sendError = undefined;
    this.host.requestUpdate();
    // Chat.reset() stops the running reply itself and runs before any message sent after it.
    await chat?.reset();
  }

  /** Sends the last message again: after a failure, or in place of the last reply. */
  async retry(generation: GenerationOptions): Promise<void> {
    const chat = this.chat;
    const text = this.retryText;
    if (!chat || this.pending || text === undefined) return;
    // A reply that failed by a crash is kept in the history, marked interrupted: retrying replaces it.
    const [asked, answer] = chat.history.slice(-2);
    const crashedTurn = asked?.role === 'user' && asked.content === text && answer?.interrupted === true;
    if (!this.sendError || crashedTurn) {
      await chat.undo();
      this.messages = chat.history;
    }
    await this.send(text, generation);
  }

  private finishTurn(chat: Chat, pending: PendingTurn): void {
    this.messages = chat.history;
    const last = this.messages.at(-1);
    const reply = last?.role === 'assistant' ? last : undefined;
    // Token events add up to the reply, and all of them come before its tabwise-message.
    if (reply && reply.content.length > pending.reply.length && reply.content.startsWith(pending.reply)) {
      this.dispatch(new TabwiseTokenEvent(reply.content.slice(pending.reply.length), reply.content));
    }
    this.pending = undefined;
    this.abortController = undefined;
    this.host.requestUpdate();
    if (reply) this.dispatch(new TabwiseMessageEvent(reply, reply.interrupted ? undefined : this.stats));
  }

  /** Frees the worker once the element has left the page. */
  private unload(): void {
    this.drop();
    this.status = 'idle';
    this.host.requestUpdate();
  }

  /** Stops and disposes of whatever runs now; returns the new epoch. */
  private drop(): number {
    this.stop();
    const chat = this.chat;
    this.chat = undefined;
    this.stopWatchingShared?.();
    this.pending = undefined;
    this.messages = [];
    this.stats = undefined;
    this.notice = undefined;
    this.sendError = undefined;
    this.loadError = undefined;
    void chat?.dispose();
    return ++this.epoch;
  }

  private dispatch(event: Event): void {
    this.host.dispatchEvent(event);
  }
}
