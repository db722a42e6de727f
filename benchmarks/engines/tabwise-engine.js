// tabwise under test: createChat() from the drop-in bundle, its engine in tabwise's own dedicated
// worker. One instance = one load of one model at one dtype on one device.
import { createChat, modelCacheName } from '../../dist/tabwise.js';

export class TabwiseEngine {
  static label = 'tabwise';

  /** Empties the Cache API cache, so the next load comes from the network. */
  static clearCache() {
    return caches.delete(modelCacheName);
  }

  /**
   * @param {{ model: import('../model-source.js').ModelSource, dtype: string, device: string }} options
   */
  constructor({ model, dtype, device, profile = false }) {
    this.model = model;
    this.dtype = dtype;
    this.device = device;
    this.profile = profile;
    // The engine worker's URL tagged with the dtype, so memory measurements can tell the workers apart.
    this.workerUrl = new URL(`../../dist/engine-worker.js?bench=${dtype}-${device}`, import.meta.url).href;
  }

  /**
   * Resolves when a chat session is ready; `ms` counts from the call (worker start included),
   * `filesMs` until the last file's last progress report (the rest is building the session).
   */
  async load() {
    const start = performance.now();
    let filesAt = start;
    const onProgress = () => (filesAt = performance.now());
    const { profile } = this;
    this.chat = await createChat({ model: this.model.tabwise, device: this.device, dtype: this.dtype, workerUrl: this.workerUrl, onProgress, profile });
    const ms = performance.now() - start;
    const { device, dtype, threads } = this.chat;
    return { ms, filesMs: filesAt - start, device, dtype, threads, ...(profile && { phases: this.chat.loadPhases }) };
  }

  /** One chat turn on top of this engine's conversation (the session keeps its KV cache). */
  async turn(text, { maxNewTokens, minNewTokens = 0 }) {
    const reply = await this.chat.send(text, { generation: { maxNewTokens, minNewTokens, doSample: false } });
    const { promptTokens, contextTokens, newTokens, timeToFirstTokenMs, decodeTokensPerSecond, phases, firstTokenPhases } = this.chat.stats;
    const profiled = this.profile && { phases, firstTokenPhases };
    return { reply, stats: { promptTokens, contextTokens, newTokens, timeToFirstTokenMs, decodeTokensPerSecond, ...profiled } };
  }

  /** Starts an empty conversation (and an empty KV cache). */
  newConversation() {
    return this.chat.reset();
  }

  /** The live KV cache covers every context id but the last reply token, which is never fed back. */
  cachedPositions(lastTurn) {
    return lastTurn.stats.contextTokens + lastTurn.stats.newTokens - 1;
  }

  async dispose() {
    await this.chat?.dispose();
    this.chat = undefined;
  }
}
