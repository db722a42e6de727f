// transformers.js in a dedicated module worker, as tabwise's engine runs in one: both engines get a
// thread of their own and the page's main thread stays out of the timings. It uses the package's
// self-contained web bundle and the onnxruntime-web build that ships with it (served from
// /vendor/transformers-ort/, the package's nested onnxruntime-web dist/).
import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '../vendor/transformers/transformers.min.js';
import { exposeMethods } from './worker-rpc.js';

const ortDist = new URL('../vendor/transformers-ort/', import.meta.url).href;

let tokenizer;
let model;
let eosTokenId;

/** A streamer that only timestamps: generate() calls put() once with the prompt, then once per new token. */
class TimingStreamer {
  constructor() {
    this.calls = 0;
    this.tokenTimes = [];
  }
  put() {
    if (this.calls++ > 0) this.tokenTimes.push(performance.now());
  }
  end() {}
}

exposeMethods({
  /**
   * Loads tokenizer and model. `model` is a generated model's folder name under `localModelPath`
   * (e.g. 'small' with '/models/') or a Hub id when `localModelPath` is empty.
   */
  async load({ model: modelId, localModelPath, dtype, device, numThreads }) {
    env.allowLocalModels = Boolean(localModelPath);
    env.allowRemoteModels = !localModelPath;
    if (localModelPath) env.localModelPath = localModelPath;
    env.useBrowserCache = true; // its Cache API cache, 'transformers-cache': what makes a warm load warm
    env.backends.onnx.wasm.wasmPaths = ortDist;
    env.backends.onnx.wasm.numThreads = numThreads; // the same count tabwise's engine worker uses
    env.backends.onnx.wasm.proxy = false; // already off the main thread
    // When the last file is in memory, on the clock the page shares (the rest is building the session).
    let filesDoneAt = performance.timeOrigin + performance.now();
    const progress_callback = ({ status }) => {
      if (status === 'done') filesDoneAt = performance.timeOrigin + performance.now();
    };
    tokenizer = await AutoTokenizer.from_pretrained(modelId, { progress_callback });
    model = await AutoModelForCausalLM.from_pretrained(modelId, { dtype, device, progress_callback });
    eosTokenId = [model.generation_config?.eos_token_id ?? model.config.eos_token_id].flat()[0];
    return { filesDoneAt, transformersVersion: env.version, numThreads: env.backends.onnx.wasm.numThreads, ortVersion: env.backends.onnx.versions?.web ?? null, eosTokenId };
  },

  /** Token ids of plain text (no special tokens), to check prompts have the intended length. */
  async encode(text) {
    return encode(text);
  },

  /**
   * One turn, the way a transformers.js chat app does it without threading past_key_values by
   * hand: tokenize the new user text, append it and eos to the whole history, and generate from
   * the full context (every turn re-encodes the history). Greedy; eos is suppressed until
   * `minNewTokens`. Timing starts before tokenization, as tabwise's does.
   */
  async turn({ historyIds = [], text, maxNewTokens, minNewTokens = 0 }) {
    const start = performance.now();
    const contextIds = [...historyIds, ...encode(text), eosTokenId];
    const streamer = new TimingStreamer();
    const output = await model.generate({
      input_ids: int64Tensor(contextIds),
      attention_mask: int64Tensor(contextIds.map(() => 1)),
      max_new_tokens: maxNewTokens,
      min_new_tokens: minNewTokens,
      do_sample: false,
      num_beams: 1,
      repetition_penalty: 1,
      streamer,
    });
    const end = performance.now();
    const all = Array.from(output.data, Number);
    const replyIds = all.slice(contextIds.length);
    const [first] = streamer.tokenTimes;
    const last = streamer.tokenTimes.at(-1);
    output.dispose?.();
    return {
      contextIds,
      replyIds,
      stats: {
        promptTokens: contextIds.length,
        contextTokens: contextIds.length,
        newTokens: replyIds.length,
        timeToFirstTokenMs: first - start,
        decodeTokensPerSecond: replyIds.length > 1 ? (replyIds.length - 1) / ((last - first) / 1000) : 0,
        totalMs: end - start,
      },
    };
  },

  /** Text of token ids, special tokens skipped (to compare greedy replies with tabwise's). */
  async decode(ids) {
    return ids.length ? tokenizer.decode(ids, { skip_special_tokens: true }) : '';
  },

  async dispose() {
    await model?.dispose();
    model = undefined;
  },
});

function encode(text) {
  const { input_ids } = tokenizer(text, { add_special_tokens: false });
  return Array.from(input_ids.data, Number);
}

function int64Tensor(ids) {
  return new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
}
