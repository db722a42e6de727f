// transformers.js under test, in its own dedicated module worker (transformers-worker.js): the same
// model files, dtype and device as tabwise, and the same token ids. A chat is what a transformers.js
// app does without threading past_key_values by hand: every turn generates from the whole history,
// turns joined by <|endoftext|>.
import { connectWorker } from '../worker-rpc.js';

export class TransformersEngine {
  static label = 'transformers.js';

  /** Empties its Cache API cache (env.cacheKey), so the next load comes from the network. */
  static clearCache() {
    return caches.delete('transformers-cache');
  }

  /**
   * @param {{ model: import('../model-source.js').ModelSource, dtype: string, device: string, threads: number }} options
   *   `threads`: the WASM threads tabwise's engine runs on here (the suite passes what tabwise reported)
   */
  constructor({ model, dtype, device, threads }) {
    this.model = model;
    this.dtype = dtype;
    this.device = device;
    this.threads = threads;
    this.workerUrl = new URL(`../transformers-worker.js?bench=${dtype}-${device}`, import.meta.url).href;
    this.historyIds = [];
  }

  /**
   * Resolves when tokenizer and model are ready; `ms` counts from the call (worker start included),
   * `filesMs` until the worker had every file in memory (the rest is building the session).
   */
  async load() {
    const start = performance.now();
    const startEpoch = performance.timeOrigin + start;
    this.worker = connectWorker(new Worker(this.workerUrl, { type: 'module' }));
    // The thread count tabwise's engine worker picked, so both run the same WASM thread pool size
    // (one in Firefox, where a thread's nested worker sometimes never starts).
    this.info = await this.worker.call('load', {
      model: this.model.transformers.model,
      localModelPath: this.model.transformers.localModelPath,
      dtype: this.dtype,
      device: this.device,
      numThreads: this.threads,
    });
    const { filesDoneAt, ...info } = this.info;
    return { ms: performance.now() - start, filesMs: filesDoneAt - startEpoch, device: this.device, dtype: this.dtype, ...info };
  }

  async turn(text, { maxNewTokens, minNewTokens = 0 }) {
    const { contextIds, replyIds, stats } = await this.worker.call('turn', { historyIds: this.historyIds, text, maxNewTokens, minNewTokens });
    this.historyIds = [...contextIds, ...replyIds, this.info.eosTokenId];
    const reply = await this.worker.call('decode', replyIds);
    return { reply, stats };
  }

  async newConversation() {
    this.historyIds = [];
  }

  /** Nothing is cached between turns: generate() disposes its past_key_values when it returns. */
  cachedPositions() {
    return 0;
  }

  /** Token count of plain text, to check the prompts. */
  countTokens(text) {
    return this.worker.call('encode', text).then((ids) => ids.length);
  }

  async dispose() {
    await this.worker?.call('dispose').catch(() => {});
    this.worker?.terminate();
    this.worker = undefined;
  }
}
