// The engine: one loaded model (ONNX session + tokenizer) serving any number of chat sessions,
// each with its own history and KV cache. No DOM and no Comlink here, so the same code runs in
// the dedicated worker and in Node (CLI, unit tests).
import { AbortError, EmptyMessageError } from '../errors.js';
import { Conversation, commonPrefixLength, type ChatMessage, type Turn } from './conversation.js';
import { resolveGenerationOptions, type GenerationOptions, type ResolvedGenerationOptions } from '../generation/generation-options.js';
import { TokenSampler } from '../generation/sampler.js';
import { StoppingCriteria } from '../generation/stopping-criteria.js';
import { TextStreamer } from '../generation/text-streamer.js';
import type { DialogptTokenizer } from './dialogpt-tokenizer.js';
import { generate, type CachedSequence } from './generation-loop.js';
import { loadModel, type LoadModelOptions, type LoadedModel } from './load-model.js';
import type { Device } from './onnx-runtime.js';
import type { PhaseTimes } from './phase-profile.js';
import { emptyBatchingStats, StepBatcher, type BatchingStats } from './step-batcher.js';

export interface TurnStats {
  /** Tokens run through the model before the first new token (only what the cache lacked). */
  promptTokens: number;
  /** Length of the whole context the reply was conditioned on. */
  contextTokens: number;
  newTokens: number;
  prefillMs: number;
  timeToFirstTokenMs: number;
  decodeTokensPerSecond: number;
  /** Only when the engine was loaded with `profile: true`: the whole turn's phases… */
  phases?: PhaseTimes;
  /** …and those up to the first new token. */
  firstTokenPhases?: PhaseTimes;
}

export interface TurnResult {
  reply: string;
  replyIds: number[];
  /** The full conversation fed to the model for this turn: history + this user turn + eos. */
  contextIds: number[];
  stats: TurnStats;
  history: ChatMessage[];
  /** Where this turn ran: a lost GPU device moves the engine to WASM between turns. */
  device: Device;
  deviceReason: string;
  /** Set when the message or the history had to be cut to fit the context. */
  notice?: string;
}

export interface TurnHooks {
  onToken?: (delta: string) => void;
  /** Polled between model steps (prefill chunks included). */
  isAborted?: () => boolean;
  /** Lets other work (an abort message) in between steps. */
  yieldBetweenSteps?: () => Promise<void>;
}

/** What the loaded model is and where it runs; the device changes after a lost GPU device. */
export interface ModelInfo {
  device: Device;
  deviceReason: string;
  dtype: string;
  onnxFile: string;
  maxPositions: number;
}

/** One chat's state in the engine: its conversation, and the KV cache of that conversation's ids. */
interface ChatState extends CachedSequence {
  conversation: Conversation;
}

export class Engine {
  private readonly sessions = new Map<string, ChatState>();
  readonly tokenizer: DialogptTokenizer;
  /** Every generation loop steps through it, so concurrent sessions decode as one batch. */
  private batcher: StepBatcher;
  private readonly batching: BatchingStats = emptyBatchingStats();

  private recovering?: Promise<void>;
  private disposed = false;

  private constructor(
    private model: LoadedModel,
    private readonly options: LoadModelOptions,
  ) {
    this.tokenizer = model.tokenizer;
    this.batcher = new StepBatcher(model.decoder, this.batching);
    this.watchGpuDevice();
  }

  static async load(options: LoadModelOptions = {}): Promise<Engine> {
    return new Engine(await loadModel(options), options);
  }

  /** A lost GPU device (driver reset, tab in background too long, destroy()) moves the engine to WASM. */
  private watchGpuDevice(): void {
    void this.model.gpuDeviceLost?.then((info) => this.recoverFromDeviceLoss(`${info.reason}${info.message ? ': ' + info.message : ''}`));
  }

  private recoverFromDeviceLoss(why: string): void {
    if (this.disposed || this.recovering || this.model.device !== 'webgpu') return;
    this.recovering = this.moveToWasm(`the WebGPU device was lost (${why})`);
  }

  private async moveToWasm(why: string): Promise<void> {
    const lost = this.model;
    this.model = await loadModel({ ...this.options, device: 'wasm', onProgress: undefined });
    this.model.deviceReason = `${why}; continuing on WASM`;
    // Loops still stepping on the lost device fail there and retry their turn on this batcher.
    this.batcher = new StepBatcher(this.model.decoder, this.batching);
    // The caches lived on the lost device: sessions keep their history and rebuild on the next turn.
    for (const session of this.sessions.values()) {
      session.cache = this.model.decoder.emptyCache();
      session.cachedIds = [];
    }
    await lost.decoder.release().catch(() => {});
  }

  /** For fault-injection tests: destroys the GPU device the engine runs on, as a driver reset would. */
  async destroyGpuDevice(): Promise<boolean> {
    const device = await this.model.decoder.gpuDevice();
    device?.destroy();
    // Don't wait for `device.lost`: Chromium does not always deliver it to a worker (seen when an
    // earlier page of the same browser used WebGPU), and a step on a destroyed device never ends.
    if (device) this.recoverFromDeviceLoss('destroyed');
    return device !== undefined;
  }

  get device(): Device {
    return this.model.device;
  }

  /** Resolves once the model's downloaded files are in the Cache API: wait for it before ending the engine's worker. */
  filesCached(): Promise<void> {
    return this.model.filesCached;
  }

  get deviceReason(): string {
    return this.model.deviceReason;
  }

  get eosTokenId(): number {
    return this.model.config.eosTokenId;
  }

  get info(): ModelInfo {
    const { device, deviceReason, dtype, onnxFile, config } = this.model;
    return { device, deviceReason, dtype, onnxFile, maxPositions: config.maxPositions };
  }

  /** Opens (or replaces) a session; `history` restores one a restarted worker lost. */
  openSession(id: string, history: readonly ChatMessage[] = []): void {
    this.closeSession(id);
    const conversation = new Conversation(this.model.config.eosTokenId);
    conversation.turns = history.map((message) => ({
      message: { ...message },
      ids: this.tokenizer.encodeText(message.content),
    }));
    this.sessions.set(id, { conversation, cache: this.model.decoder.emptyCache(), cachedIds: [] });
  }

  closeSession(id: string): void {
    const session = this.sessions.get(id);
    if (session) this.model.decoder.disposeCache(session.cache);
    this.sessions.delete(id);
  }

  resetSession(id: string): void {
    this.openSession(id);
  }

  /** Removes the last user message and the reply to it (for "retry"); the cache follows on the next turn. */
  undoLastTurn(id: string): ChatMessage[] {
    const { conversation } = this.session(id);
    const lastUser = conversation.turns.map((turn) => turn.message.role).lastIndexOf('user');
    if (lastUser >= 0) conversation.turns = conversation.turns.slice(0, lastUser);
    return conversation.history;
  }

  history(id: string): ChatMessage[] {
    return this.session(id).conversation.history;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  private session(id: string): ChatState {
    const session = this.sessions.get(id);
    if (!session) throw new TypeError(`no chat session ${JSON.stringify(id)} is open`);
    return session;
  }

  /**
   * One chat turn. Only what the KV cache lacks is run through the model, so the time to first
   * token does not grow with the conversation; when the context would overflow, the oldest whole
   * turns are dropped and the cache rebuilt.
   */
  async reply(id: string, text: string, options: GenerationOptions = {}, hooks: TurnHooks = {}): Promise<TurnResult> {
    checkMessage(text);
    const generation = resolveGenerationOptions(options); // the only time for this turn
    await this.recovering;
    const turnsBefore = this.sessions.get(id)?.conversation.turns;
    const device = this.model.device;
    try {
      return await this.replyOnce(id, text, generation, hooks);
    } catch (error) {
      // The GPU went away mid-turn: once the engine is on WASM, run the turn again from the top.
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the device-lost callback run
      if (device !== 'webgpu' || !this.recovering || (error as Error).name === 'AbortError') throw error;
      await this.recovering;
      this.session(id).conversation.turns = turnsBefore ?? [];
      return this.replyOnce(id, text, generation, hooks);
    }
  }

  private async replyOnce(id: string, text: string, generation: ResolvedGenerationOptions, hooks: TurnHooks): Promise<TurnResult> {
    const start = performance.now();
    const { profile } = this.model;
    // The windows start on the turn's clock: a first-token window never reads less than timeToFirstTokenMs.
    const turnWindow = profile.begin(start);
    const firstTokenWindow = profile.begin(start);
    let firstTokenPhases: PhaseTimes | undefined;
    const session = this.session(id);
    const { maxPositions, eosTokenId } = this.model.config;
    const notices: string[] = [];

    // Room is kept for the reply, but never more than half the context, so a large maxNewTokens
    // cannot squeeze the user's message out; a reply that reaches the context's end stops there.
    const maxNewTokens = Math.min(generation.maxNewTokens, maxPositions - 2);
    const replyRoom = Math.min(maxNewTokens, maxPositions >> 1);
    let userIds = profile.time('tokenize', () => this.tokenizer.encodeText(text));
    const userBudget = maxPositions - replyRoom - 1;
    if (userIds.length > userBudget) {
      notices.push(`the message was ${userIds.length} tokens; only its last ${userBudget} were kept`);
      userIds = userIds.slice(-userBudget);
    }
    const userTurn: Turn = { message: { role: 'user', content: text }, ids: userIds };
    const kept = session.conversation.turnsThatFit(userIds.length + 1 + replyRoom, maxPositions);
    if (kept.length < session.conversation.turns.length) {
      notices.push(`${session.conversation.turns.length - kept.length} oldest messages were dropped to fit the context`);
    }
    const contextIds = [...session.conversation.contextOf(kept), ...userIds, eosTokenId];

    // Reuse the cache where it agrees with the new context; otherwise rebuild it.
    let reusable = commonPrefixLength(session.cachedIds, contextIds);
    if (reusable < session.cachedIds.length) {
      this.model.decoder.disposeCache(session.cache);
      session.cache = this.model.decoder.emptyCache();
      session.cachedIds = [];
      reusable = 0;
    }
    // The conversation changes only once the turn starts; an abort keeps what was said.
    session.conversation.turns = [...kept, userTurn];
    const replyTurn: Turn = { message: { role: 'assistant', content: '' }, ids: [] };

    const streamer = new TextStreamer((ids) => this.tokenizer.decode(ids));
    const pending = contextIds.slice(reusable);
    const { prefilledAt, firstTokenAt } = await generate(this.batcher, session, pending, [...contextIds], {
      sampler: new TokenSampler(generation, [eosTokenId]),
      stopping: new StoppingCriteria({ eosTokenIds: [eosTokenId], maxNewTokens, maxPositions }),
      profile,
      onToken: (next) => {
        replyTurn.ids.push(next);
        const delta = profile.time('detokenize', () => streamer.push(next));
        if (delta && hooks.onToken) profile.time('messaging', () => hooks.onToken!(delta));
        if (replyTurn.ids.length === 1) firstTokenPhases = firstTokenWindow?.end();
      },
      beforeStep: async () => {
        await hooks.yieldBetweenSteps?.();
        if (hooks.isAborted?.()) {
          replyTurn.message.interrupted = true;
          replyTurn.message.content = this.tokenizer.decode(replyTurn.ids);
          session.conversation.turns.push(replyTurn);
          throw new AbortError('the reply was stopped; what was generated so far is kept in the history');
        }
      },
    });
    const tail = streamer.flush();
    if (tail) hooks.onToken?.(tail);

    replyTurn.message.content = this.tokenizer.decode(replyTurn.ids);
    session.conversation.turns.push(replyTurn);
    const decodeSeconds = (performance.now() - firstTokenAt) / 1000;
    const stepsAfterFirst = Math.max(0, replyTurn.ids.length - 1);
    return {
      reply: replyTurn.message.content,
      replyIds: [...replyTurn.ids],
      contextIds,
      history: session.conversation.history,
      device: this.model.device,
      deviceReason: this.model.deviceReason,
      notice: notices.length ? notices.join('; ') : undefined,
      stats: {
        promptTokens: pending.length,
        contextTokens: contextIds.length,
        newTokens: replyTurn.ids.length,
        prefillMs: prefilledAt - start,
        timeToFirstTokenMs: firstTokenAt - start,
        decodeTokensPerSecond: stepsAfterFirst > 0 && decodeSeconds > 0 ? stepsAfterFirst / decodeSeconds : 0,
        ...(turnWindow && { phases: turnWindow.end(), firstTokenPhases: firstTokenPhases ?? firstTokenWindow?.end() }),
      },
    };
  }

  /**
   * Device tensors held between steps (the KV caches of the open sessions, nothing else), and how
   * the steps were batched since the engine loaded.
   */
  memory() {
    return { ...this.model.decoder.memory(), sessions: this.sessions.size, batching: { ...this.batching } };
  }

  /** The load's phases when the engine was loaded with `profile: true` (each turn's are in its stats). */
  profile(): { enabled: boolean; load?: PhaseTimes } {
    return { enabled: this.model.profile.enabled, load: this.model.loadPhases };
  }

  /** Raw generation for the CLI's --prompt-ids: feeds `inputIds` exactly, returns the new ids. */
  async generateIds(inputIds: readonly number[], options: GenerationOptions = {}): Promise<number[]> {
    const generation = resolveGenerationOptions(options);
    if (inputIds.length === 0) throw new EmptyMessageError('input ids are empty');
    const { vocabSize, maxPositions, eosTokenId } = this.model.config;
    for (const id of inputIds) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new RangeError(`input id ${id} is outside the vocabulary [0, ${vocabSize})`);
    }
    if (inputIds.length >= maxPositions) throw new RangeError(`${inputIds.length} input ids do not fit the ${maxPositions}-position context`);
    const decoder = this.model.decoder;
    const sequence: CachedSequence = { cache: decoder.emptyCache(), cachedIds: [] };
    try {
      const { ids } = await generate(this.batcher, sequence, inputIds, [...inputIds], {
        sampler: new TokenSampler(generation, [eosTokenId]),
        stopping: new StoppingCriteria({ eosTokenIds: [eosTokenId], maxNewTokens: generation.maxNewTokens, maxPositions }),
      });
      return ids;
    } finally {
      decoder.disposeCache(sequence.cache);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const id of [...this.sessions.keys()]) this.closeSession(id);
    await this.model.decoder.release();
  }
}

function checkMessage(text: unknown): void {
  if (typeof text !== 'string') throw new TypeError(`message must be a string, got ${typeof text}`);
  if (text.trim() === '') throw new EmptyMessageError('message is empty: type something to send');
}
