// The one place that imports onnxruntime-web. It holds the device → execution-provider table and
// a decoder session that speaks token ids and logits; no ORT type leaves this file.
import type * as ort from 'onnxruntime-web';
import type { ModelConfig } from './model-config.js';

export type Device = 'webgpu' | 'wasm';
type Ort = typeof ort;

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * Device → onnxruntime-web build and execution providers. WASM gets the plain build (half the
 * download of the WebGPU one, and no asyncify overhead); WebGPU gets the default JSEP build.
 * Each build is its own module with its own `env` and `Tensor`, so a session's tensors are always
 * made by the build that runs it.
 */
const devices: Record<Device, { load: () => Promise<Ort>; executionProviders: string[] }> = {
  // In Node the package's root export is its Node build (WASM, reading files from disk).
  wasm: { load: () => (isNode ? import('onnxruntime-web') : import('onnxruntime-web/wasm')), executionProviders: ['wasm'] },
  webgpu: { load: () => import('onnxruntime-web'), executionProviders: ['webgpu'] },
};

export interface RuntimeSettings {
  /** Folder URL of onnxruntime-web's .mjs/.wasm files (browser only). */
  wasmPaths?: string;
  /** WASM threads; more than one needs a cross-origin isolated page. */
  numThreads: number;
}

/** Loads and configures the build for `device`; onnxruntime-web reads `env` at its first session. */
async function loadRuntime(device: Device, { wasmPaths, numThreads }: RuntimeSettings, adapter?: GPUAdapter): Promise<Ort> {
  const runtime = await devices[device].load();
  if (wasmPaths) runtime.env.wasm.wasmPaths = wasmPaths;
  runtime.env.wasm.numThreads = numThreads;
  runtime.env.wasm.proxy = false; // we are already off the main thread
  runtime.env.logLevel = 'error';
  if (adapter && !runtime.env.webgpu.adapter) runtime.env.webgpu.adapter = adapter as never;
  return runtime;
}

/** The past key/value cache: opaque outside this file. Holds device tensors (GPU or WASM side). */
export interface KvCache {
  /** Number of positions the cache covers. */
  readonly length: number;
}

interface KvCacheTensors extends KvCache {
  tensors: Record<string, ort.Tensor>;
}

/** What the decoder holds on its device between steps, to prove nothing leaks. */
export interface DecoderMemory {
  /** Tensors created for caches and not yet disposed, across all sessions. */
  liveTensors: number;
  /** Bytes of those tensors (the KV caches). */
  liveTensorBytes: number;
}

export interface ForwardResult {
  /** Logits of the last position, float32, vocab-sized. */
  logits: Float32Array;
  cache: KvCache;
}

/** A GPT-2 decoder session with the Optimum I/O names, adapted to what the graph declares. */
export class OnnxDecoder {
  private readonly pastNames: string[];
  private readonly presentNames: string[];
  private readonly pastType: ort.Tensor.Type;
  private readonly declares: { positionIds: boolean; useCacheBranch: boolean; numLogitsToKeep: boolean };
  /** Every cache tensor handed out and not yet disposed. */
  private readonly live = new Set<ort.Tensor>();

  private constructor(
    private readonly ort: Ort,
    private readonly session: ort.InferenceSession,
    private readonly config: ModelConfig,
    readonly device: Device,
  ) {
    const inputs = new Set(session.inputNames);
    this.pastNames = session.inputNames.filter((name) => name.startsWith('past_key_values.'));
    this.presentNames = this.pastNames.map((name) => name.replace('past_key_values.', 'present.'));
    const pastMetadata = session.inputMetadata?.find((m) => m.name === this.pastNames[0]);
    this.pastType = pastMetadata && pastMetadata.isTensor ? pastMetadata.type : 'float32';
    this.declares = {
      positionIds: inputs.has('position_ids'),
      useCacheBranch: inputs.has('use_cache_branch'),
      numLogitsToKeep: inputs.has('num_logits_to_keep'),
    };
  }

  static async create(
    model: Uint8Array,
    externalData: { path: string; data: Uint8Array }[],
    config: ModelConfig,
    device: Device,
    settings: RuntimeSettings,
    adapter?: GPUAdapter,
  ): Promise<OnnxDecoder> {
    const runtime = await loadRuntime(device, settings, adapter);
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: devices[device].executionProviders,
      graphOptimizationLevel: 'all',
      externalData,
    };
    if (device === 'webgpu') {
      // Keep the KV cache on the GPU between steps; only logits come back to the CPU.
      const presentOnGpu = Object.fromEntries(
        Array.from({ length: config.numLayers }, (_, i) => [
          [`present.${i}.key`, 'gpu-buffer'],
          [`present.${i}.value`, 'gpu-buffer'],
        ]).flat(),
      );
      options.preferredOutputLocation = presentOnGpu as Record<string, ort.Tensor.DataLocation>;
    }
    const session = await runtime.InferenceSession.create(model, options);
    const decoder = new OnnxDecoder(runtime, session, config, device);
    decoder.checkSignature();
    return decoder;
  }

  /** The GPU device onnxruntime-web requested (WebGPU only), to watch for its loss. */
  async gpuDevice(): Promise<GPUDevice | undefined> {
    if (this.device !== 'webgpu') return undefined;
    try {
      return (await this.ort.env.webgpu.device) as GPUDevice; // a promise or the device, by version
    } catch {
      return undefined;
    }
  }

  private checkSignature(): void {
    const inputs = this.session.inputNames;
    const missing = ['input_ids', 'attention_mask'].filter((name) => !inputs.includes(name));
    if (missing.length || !this.session.outputNames.includes('logits')) {
      throw new TypeError(`not a GPT-2 decoder: inputs [${inputs.join(', ')}], outputs [${this.session.outputNames.join(', ')}]`);
    }
    if (this.pastNames.length !== 2 * this.config.numLayers) {
      throw new TypeError(`the graph has ${this.pastNames.length / 2} past layers, config.json says ${this.config.numLayers}`);
    }
  }

  /** An empty cache: past shapes come from config.json, never from symbolic dimension names. */
  emptyCache(): KvCache {
    const { numHeads, headSize } = this.config;
    const tensors: Record<string, ort.Tensor> = {};
    for (const name of this.pastNames) {
      tensors[name] = new this.ort.Tensor(this.pastType, emptyData(this.pastType), [1, numHeads, 0, headSize]);
      this.live.add(tensors[name]);
    }
    return { length: 0, tensors } as KvCacheTensors;
  }

  /**
   * Runs `ids` on top of `cache`. The returned cache replaces the given one, whose tensors are
   * disposed here (GPU buffers and WASM copies alike), so memory stays at one cache's size.
   */
  async forward(ids: readonly number[], cache: KvCache): Promise<ForwardResult> {
    const past = cache as KvCacheTensors;
    const pastLength = past.length;
    const total = pastLength + ids.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.int64(ids, [1, ids.length]),
      attention_mask: this.int64(new Array(total).fill(1), [1, total]),
      ...past.tensors,
    };
    if (this.declares.positionIds) {
      feeds.position_ids = this.int64(ids.map((_, i) => pastLength + i), [1, ids.length]);
    }
    if (this.declares.useCacheBranch) {
      feeds.use_cache_branch = new this.ort.Tensor('bool', new Uint8Array([pastLength > 0 ? 1 : 0]), [1]);
    }
    if (this.declares.numLogitsToKeep) {
      feeds.num_logits_to_keep = new this.ort.Tensor('int64', new BigInt64Array([1n]), []);
    }
    const outputs = await this.session.run(feeds);
    const logits = lastRow(outputs.logits);
    outputs.logits.dispose();
    const tensors: Record<string, ort.Tensor> = {};
    this.presentNames.forEach((presentName, i) => {
      tensors[this.pastNames[i]] = outputs[presentName];
      this.live.add(outputs[presentName]);
    });
    this.disposeCache(past);
    return { logits, cache: { length: total, tensors } as KvCacheTensors };
  }

  private int64(values: readonly number[], dims: number[]): ort.Tensor {
    return new this.ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  }

  disposeCache(cache: KvCache): void {
    for (const tensor of Object.values((cache as KvCacheTensors).tensors)) {
      tensor.dispose();
      this.live.delete(tensor);
    }
    (cache as KvCacheTensors).tensors = {};
  }

  memory(): DecoderMemory {
    let liveTensorBytes = 0;
    for (const tensor of this.live) {
      const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
      liveTensorBytes += elements * (tensor.type === 'float16' ? 2 : 4);
    }
    return { liveTensors: this.live.size, liveTensorBytes };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function emptyData(type: ort.Tensor.Type): Float32Array | Uint16Array {
  return type === 'float16' ? new Uint16Array(0) : new Float32Array(0);
}

/** Logits [1, T, V] → the last position as float32 (fp16 models return half floats). */
function lastRow(logits: ort.Tensor): Float32Array {
  const vocab = logits.dims[logits.dims.length - 1];
  const data = logits.data as Float32Array | Uint16Array;
  const row = data.subarray(data.length - vocab);
  if (logits.type === 'float32') return Float32Array.from(row as Float32Array);
  return Float32Array.from(row as Uint16Array, halfToFloat);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
