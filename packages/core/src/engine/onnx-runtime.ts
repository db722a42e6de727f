// The one place that uses onnxruntime-web (runtime-builds.ts loads it). It holds the device →
// execution-provider table and a decoder session that speaks token ids and logits; no ORT type
// leaves this file.
//
// Dimension legend: B batch (sessions stepped together), T ids run this step, P a cache's past
// length, L the longest past of a batch (the others are left-padded to it), S = P + T (or L + 1)
// total length, V vocab, nh heads, hs head size.
import type * as ort from 'onnxruntime-web';
import { KvArrayPool, type KvArray } from './kv-array-pool.js';
import { copyPositions, headBlocks, leftPaddedMask, roomMask, writePositions, type HeadBlock } from './kv-batch-layout.js';
import type { ModelConfig } from './model-config.js';
import { pastAndPresentNames, withNewKvOutputs, type NewKvOutputs, type WithNewKvOutputs } from './new-kv-outputs.js';
import { traceRun } from './onnxruntime-trace.js';
import { loadOnnxProto } from './onnx-proto-loader.js';
import { PhaseProfile } from './phase-profile.js';
import { runtimeBuilds } from './runtime-builds.js';
import { isRuntimeStartFailure, runtimeLoadError } from './runtime-load-check.js';

export type Device = 'webgpu' | 'wasm';
type Ort = typeof ort;

/** Device → execution providers; each device's onnxruntime-web build is in runtime-builds.ts. */
const devices: Record<Device, { executionProviders: string[] }> = {
  wasm: { executionProviders: ['wasm'] },
  webgpu: { executionProviders: ['webgpu'] },
};

/** URLs of onnxruntime-web's loader (.mjs) and binary (.wasm), per device's build. */
export type RuntimeFiles = Record<Device, { mjs: string; wasm: string }>;

const runtimeFileNames: RuntimeFiles = {
  wasm: { mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' },
  webgpu: { mjs: 'ort-wasm-simd-threaded.jsep.mjs', wasm: 'ort-wasm-simd-threaded.jsep.wasm' },
};

export interface RuntimeSettings {
  /** Folder URL of onnxruntime-web's .mjs/.wasm files (browser only); overrides runtimeFiles. */
  wasmPaths?: string;
  /** Each runtime file by its own URL (browser only), as the engine worker's bundle emits them. */
  runtimeFiles?: RuntimeFiles;
  /** WASM threads; more than one needs a cross-origin isolated page. */
  numThreads: number;
  /** WASM: fetch each step's new positions and write them into the cache ('new'), or the graph's whole presents; the default is defaultKvOutputs(). */
  kvOutputs?: 'new' | 'present';
}

/** Loads and configures the build for `device`; onnxruntime-web reads `env` at its first session. */
async function loadRuntime(device: Device, { wasmPaths, runtimeFiles, numThreads }: RuntimeSettings, adapter?: GPUAdapter): Promise<Ort> {
  const runtime = await runtimeBuilds[device]();
  if (wasmPaths) runtime.env.wasm.wasmPaths = wasmPaths;
  else if (runtimeFiles) runtime.env.wasm.wasmPaths = { ...runtimeFiles[device] };
  runtime.env.wasm.numThreads = numThreads;
  runtime.env.wasm.proxy = false; // we are already off the main thread
  runtime.env.logLevel = 'error';
  if (adapter && !runtime.env.webgpu.adapter) runtime.env.webgpu.adapter = adapter as never;
  return runtime;
}

let wasmRuntimeStart: Promise<void> | undefined;

/**
 * Starts onnxruntime-web's WASM build (fetching and compiling its .wasm, starting its threads) by
 * opening a one-node session, so a load can do that while the model's files are read instead of
 * inside the model's session build. Once per worker; later calls return the same promise. It never
 * rejects: a runtime that cannot start fails the model's own session, which says why.
 */
export function startWasmRuntime(settings: RuntimeSettings): Promise<void> {
  wasmRuntimeStart ??= (async () => {
    const runtime = await loadRuntime('wasm', settings);
    const session = await runtime.InferenceSession.create(await oneNodeModel(), { executionProviders: devices.wasm.executionProviders });
    await session.release();
  })().catch(() => {});
  return wasmRuntimeStart;
}

/** The smallest graph onnxruntime accepts: y = Identity(x), one float. */
async function oneNodeModel(): Promise<Uint8Array> {
  const { onnxProto, DataType } = await loadOnnxProto();
  const value = (name: string) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnxProto.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'runtime-start', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [value('x')], output: [value('y')] },
  }).finish();
}

/** The past key/value cache: opaque outside this file. Holds device tensors (GPU or WASM side). */
export interface KvCache {
  /** Number of positions the cache covers. */
  readonly length: number;
}

interface KvCacheTensors extends KvCache {
  length: number;
  /** Each [1, nh, P, hs]; or, where `capacity` is set, [1, nh, capacity, hs] with P in use. */
  tensors: Record<string, ort.Tensor>;
  /**
   * WASM, appending: positions each tensor has room for. Positions P … capacity − 1 are unused and
   * fed with attention_mask 0 (as a batch's left padding is), so a step writes its new positions in
   * place and never copies the past.
   */
  capacity?: number;
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

/** One sequence's part of a batched decode step: its next id on top of its own cache. */
export interface BatchRow {
  id: number;
  cache: KvCache;
}

/**
 * 'new' everywhere but Firefox. In Firefox ESR 153 a restarted engine worker's chat (a killed worker,
 * a closed host) never finished in 4 of 8 runs with the new positions fetched, and in 0 of 8 with the
 * whole presents; the cause is not found yet (docs/decisions/browsers.md), so Firefox keeps the presents.
 */
function defaultKvOutputs(): 'new' | 'present' {
  return /\bFirefox\//.test(globalThis.navigator?.userAgent ?? '') ? 'present' : 'new';
}

const graphEdits = new WeakMap<Uint8Array, Promise<WithNewKvOutputs | undefined>>();

/**
 * On WASM, the graph with each present's new positions as an output of its own, so a run fetches
 * only those, not the whole present (whose copy out of the heap grows with the chat); undefined
 * where the presents are fetched whole (WebGPU keeps them on the GPU). Once per graph: the loader
 * begins it as soon as the graph's bytes are in, beside the external data's read, and the session
 * build awaits the same promise, which carries any failure to it.
 */
export function appendingGraph(model: Uint8Array, device: Device, settings: RuntimeSettings, profile = PhaseProfile.off): Promise<WithNewKvOutputs | undefined> {
  if (device !== 'wasm' || (settings.kvOutputs ?? defaultKvOutputs()) !== 'new') return Promise.resolve(undefined);
  let edit = graphEdits.get(model);
  if (!edit) {
    edit = profile.time('graphEdit', () => withNewKvOutputs(model));
    edit.catch(() => {}); // not unhandled while the external data is still being read
    graphEdits.set(model, edit);
  }
  return edit;
}

/** Storage for our own KV buffers; sizes rounded to 16 bytes as onnxruntime's own buffers are. */
const kvBufferUsage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A GPT-2 decoder session with the Optimum I/O names, adapted to what the graph declares. */
export class OnnxDecoder {
  private readonly pastNames: string[];
  private readonly presentNames: string[];
  private readonly pastType: ort.Tensor.Type;
  private readonly declares: { positionIds: boolean; useCacheBranch: boolean; numLogitsToKeep: boolean };
  /** Every cache tensor handed out and not yet disposed. */
  private readonly live = new Set<ort.Tensor>();
  /** Elements in use of an appending cache's tensors (the rest is room); others use all of theirs. */
  private readonly inUse = new WeakMap<ort.Tensor, number>();
  /** Arrays of batched copies on WASM, reused; it keeps at most four times the live caches unused. */
  private readonly arrays: KvArrayPool;

  private constructor(
    private readonly ort: Ort,
    private readonly session: ort.InferenceSession,
    private readonly config: ModelConfig,
    readonly device: Device,
    private readonly profile: PhaseProfile,
    /** WASM: each present's new positions as an output of their own; the engine appends them (new-kv-outputs.ts). */
    private readonly newOutputs?: NewKvOutputs,
  ) {
    const inputs = new Set(session.inputNames);
    ({ pastNames: this.pastNames, presentNames: this.presentNames } = pastAndPresentNames(session.inputNames));
    const pastMetadata = session.inputMetadata?.find((m) => m.name === this.pastNames[0]);
    this.pastType = pastMetadata && pastMetadata.isTensor ? pastMetadata.type : 'float32';
    this.declares = {
      positionIds: inputs.has('position_ids'),
      useCacheBranch: inputs.has('use_cache_branch'),
      numLogitsToKeep: inputs.has('num_logits_to_keep'),
    };
    const positionsPerGranule = 16;
    this.arrays = new KvArrayPool(config.numHeads * config.headSize * positionsPerGranule, () => 4 * this.liveElements());
  }

  static async create(
    model: Uint8Array,
    externalData: { path: string; data: Uint8Array }[],
    config: ModelConfig,
    device: Device,
    settings: RuntimeSettings,
    adapter?: GPUAdapter,
    profile: PhaseProfile = PhaseProfile.off,
  ): Promise<OnnxDecoder> {
    // On WASM, runtimeStart is what is left to wait for of the start begun beside the file reads.
    const runtime = await profile.time('runtimeStart', async () => {
      if (device === 'wasm') await startWasmRuntime(settings);
      return loadRuntime(device, settings, adapter);
    });
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
    const appending = await appendingGraph(model, device, settings, profile);
    const endBuild = profile.start('sessionBuild');
    const session = await runtime.InferenceSession.create(appending?.model ?? model, options).finally(endBuild).catch(async (error) => {
      if (!isRuntimeStartFailure(error)) throw error;
      const files = settings.wasmPaths
        ? { mjs: new URL(runtimeFileNames[device].mjs, settings.wasmPaths).href, wasm: new URL(runtimeFileNames[device].wasm, settings.wasmPaths).href }
        : settings.runtimeFiles?.[device];
      throw await runtimeLoadError(files, error);
    });
    const decoder = new OnnxDecoder(runtime, session, config, device, profile, appending?.newOutputs);
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
    const pastLength = past.length; // P
    const slots = past.capacity ?? pastLength; // C: P, or the room of an appending cache
    const total = pastLength + ids.length; // S = P + T
    const endFeeds = this.profile.start('feedsBuild');
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.int64(ids, [1, ids.length]), // [1, T]
      attention_mask: this.int64(roomMask(pastLength, slots, ids.length), [1, slots + ids.length]), // [1, C + T]
      ...this.branchFeeds(slots),
      ...past.tensors, // each [1, nh, C, hs]
    };
    if (this.declares.positionIds) {
      feeds.position_ids = this.int64(ids.map((_, i) => pastLength + i), [1, ids.length]); // [1, T]
    }
    endFeeds();
    const outputs = await this.run(feeds);
    const logits = this.profile.time('logits', () => lastRow(outputs.logits, 0)); // [V] of [1, T, V]
    outputs.logits.dispose();
    if (this.newOutputs) {
      this.profile.time('kvAppend', () => this.appendInPlace(outputs, [past]));
      return { logits, cache: past };
    }
    const next = this.presentsAsCache(outputs, total);
    this.profile.time('dispose', () => this.disposeCache(past));
    return { logits, cache: next };
  }

  /** The graph's presents [1, nh, S, hs] as the next cache, as they are. */
  private presentsAsCache(outputs: ort.InferenceSession.OnnxValueMapType, total: number): KvCacheTensors {
    const tensors: Record<string, ort.Tensor> = {};
    this.presentNames.forEach((presentName, i) => {
      tensors[this.pastNames[i]] = outputs[presentName]; // [1, nh, S, hs]
      this.live.add(outputs[presentName]);
    });
    return { length: total, tensors };
  }

  /**
   * Writes row b's new positions, out of the new outputs [B, nh, T, hs], into `caches[b]` after its
   * P positions, in place; a cache without room for them first moves to a larger pooled array
   * (capacities grow by a quarter, so that is rare).
   */
  private appendInPlace(outputs: ort.InferenceSession.OnnxValueMapType, caches: readonly KvCacheTensors[]): void {
    const { numHeads, headSize } = this.config;
    const T = outputs[this.newOutputs![this.presentNames[0]]].dims[2];
    for (const cache of caches) if ((cache.capacity ?? 0) < cache.length + T) this.growCache(cache, cache.length + T);
    this.presentNames.forEach((presentName, i) => {
      const fresh = outputs[this.newOutputs![presentName]]; // [B, nh, T, hs]
      caches.forEach((cache, b) => {
        const tensor = cache.tensors[this.pastNames[i]]; // [1, nh, C, hs]
        writePositions(tensor.data as KvArray, cache.capacity!, cache.length, fresh.data as KvArray, b, T, this.config);
        this.inUse.set(tensor, numHeads * (cache.length + T) * headSize);
      });
      fresh.dispose();
    });
    for (const cache of caches) cache.length += T;
  }

  /** Moves `cache` into pooled arrays with room for at least `positions` (its P positions copied once). */
  private growCache(cache: KvCacheTensors, positions: number): void {
    const { numHeads, headSize } = this.config;
    const elementsPerPosition = numHeads * headSize;
    const capacity = this.arrays.capacityFor(positions * elementsPerPosition) / elementsPerPosition;
    for (const name of this.pastNames) {
      const old = cache.tensors[name]; // [1, nh, C, hs]
      const data = this.arrays.take(old.data as KvArray, capacity * elementsPerPosition);
      copyPositions(old.data as KvArray, cache.capacity ?? cache.length, data, capacity, cache.length, this.config);
      const tensor = new this.ort.Tensor(this.pastType, data, [1, numHeads, capacity, headSize]); // [1, nh, C', hs]
      // Outgrown: no cache will need an array this small again soon, so the pool does not keep it.
      old.dispose();
      this.live.delete(old);
      cache.tensors[name] = tensor;
      this.live.add(tensor);
      this.inUse.set(tensor, cache.length * elementsPerPosition);
    }
    cache.capacity = capacity;
  }

  /** The outputs a run fetches: everything, or (appending) the logits and the new positions only. */
  private get fetches(): string[] | undefined {
    return this.newOutputs && ['logits', ...this.presentNames.map((name) => this.newOutputs![name])];
  }

  /**
   * session.run; when profiled, split into the feeds' copies into the WASM heap, the run itself,
   * and the outputs' copies out, as onnxruntime-web's own trace times them.
   */
  private async run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
    const fetches = this.fetches;
    const run = () => (fetches ? this.session.run(feeds, fetches) : this.session.run(feeds));
    if (!this.profile.enabled) return run();
    const trace = traceRun(this.ort.env);
    const startedAt = performance.now();
    try {
      return await run();
    } finally {
      const ms = performance.now() - startedAt;
      const { feedsIn, outputsOut } = trace.stop();
      this.profile.add('feedsIn', feedsIn);
      this.profile.add('outputsOut', outputsOut);
      this.profile.add('run', ms - feedsIn - outputsOut);
    }
  }

  /** Rows of different lengths can share a step only with explicit positions: padding shifts them. */
  get canBatch(): boolean {
    return this.declares.positionIds;
  }

  /**
   * One decode step for several sequences: row b runs `rows[b].id` on top of `rows[b].cache`.
   * The pasts are left-padded to the longest (attention_mask 0 on the padding, explicit
   * position_ids), and the batched presents are split back into one unpadded cache per row, so a
   * sequence can join or leave the batch at any step. Like forward(), the given caches are
   * disposed and replaced by the returned ones.
   */
  async forwardBatch(rows: readonly BatchRow[]): Promise<ForwardResult[]> {
    const B = rows.length;
    const pasts = rows.map((row) => row.cache as KvCacheTensors);
    const lengths = pasts.map((past) => past.length); // P of each row
    const L = Math.max(...lengths);
    const endFeeds = this.profile.start('feedsBuild');
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.int64(rows.map((row) => row.id), [B, 1]), // [B, 1]
      attention_mask: this.int64(leftPaddedMask(lengths, L), [B, L + 1]), // [B, S]
      position_ids: this.int64(lengths, [B, 1]), // [B, 1]: each row's own next position
      ...this.branchFeeds(L),
    };
    endFeeds();
    const stacked = await this.profile.time('batchCopies', () => this.stackPasts(pasts, L)); // each [B, nh, L, hs]
    let outputs: ort.InferenceSession.OnnxValueMapType;
    try {
      outputs = await this.run({ ...feeds, ...stacked });
    } finally {
      this.profile.time('dispose', () => {
        for (const tensor of Object.values(stacked)) this.disposeTensor(tensor);
      });
    }
    const logits = this.profile.time('logits', () => rows.map((_, b) => lastRow(outputs.logits, b))); // B × [V] of [B, 1, V]
    outputs.logits.dispose();
    if (this.newOutputs) {
      this.profile.time('kvAppend', () => this.appendInPlace(outputs, pasts));
      return pasts.map((cache, b) => ({ logits: logits[b], cache }));
    }
    const caches = await this.profile.time('batchCopies', () => this.splitPresents(outputs, lengths, L + 1));
    this.profile.time('dispose', () => {
      for (const past of pasts) this.disposeCache(past);
    });
    return caches.map((cache, b) => ({ logits: logits[b], cache }));
  }

  /** Stacks row caches [1, nh, P, hs] into one left-padded [B, nh, L, hs] per past name. */
  private async stackPasts(pasts: readonly KvCacheTensors[], L: number): Promise<Record<string, ort.Tensor>> {
    const B = pasts.length;
    const { numHeads, headSize } = this.config;
    const dims = [B, numHeads, L, headSize];
    const elements = B * numHeads * L * headSize;
    const blocks = pasts.map((past, b) => headBlocks(b, past.length, L, this.config, past.capacity));
    const gpu = L > 0 ? await this.gpuDevice() : undefined;
    const encoder = gpu?.createCommandEncoder();
    const stacked: Record<string, ort.Tensor> = {};
    for (const name of this.pastNames) {
      const rowTensors = pasts.map((past) => past.tensors[name]); // each [1, nh, P, hs]
      if (gpu && encoder) {
        // New buffers start zeroed: that is the padding.
        const buffer = gpu.createBuffer({ size: this.kvBufferBytes(elements), usage: kvBufferUsage() });
        rowTensors.forEach((tensor, b) => this.copyBlocks(encoder, tensor.gpuBuffer as GPUBuffer, buffer, blocks[b], 'own'));
        stacked[name] = this.ort.Tensor.fromGpuBuffer(buffer, { dataType: this.gpuType(), dims, dispose: () => buffer.destroy() }); // [B, nh, L, hs]
      } else {
        const like = (rowTensors.find((tensor) => tensor.size > 0)?.data ?? emptyData(this.pastType)) as KvArray;
        const data = this.arrays.take(like, elements).fill(0); // zeros: the padding
        rowTensors.forEach((tensor, b) => {
          const own = tensor.data as KvArray;
          for (const block of blocks[b]) data.set(own.subarray(block.own, block.own + block.length), block.batched);
        });
        stacked[name] = new this.ort.Tensor(this.pastType, data, dims); // [B, nh, L, hs]
      }
    }
    if (gpu && encoder) gpu.queue.submit([encoder.finish()]);
    return stacked;
  }

  /** Splits each batched present [B, nh, S, hs] back into one cache [1, nh, P + 1, hs] per row. */
  private async splitPresents(outputs: ort.InferenceSession.OnnxValueMapType, lengths: readonly number[], S: number): Promise<KvCacheTensors[]> {
    const { numHeads, headSize } = this.config;
    const gpu = await this.gpuDevice();
    // onnxruntime's own commands, the ones that wrote the presents, were submitted when it read
    // the logits back, so copies submitted now run after them.
    const encoder = gpu?.createCommandEncoder();
    const caches: KvCacheTensors[] = lengths.map((P) => ({ length: P + 1, tensors: {} }));
    this.presentNames.forEach((presentName, i) => {
      const present = outputs[presentName]; // [B, nh, S, hs]
      caches.forEach((cache, b) => {
        const dims = [1, numHeads, cache.length, headSize];
        const elements = numHeads * cache.length * headSize;
        const blocks = headBlocks(b, cache.length, S, this.config);
        let tensor: ort.Tensor;
        if (gpu && encoder) {
          const buffer = gpu.createBuffer({ size: this.kvBufferBytes(elements), usage: kvBufferUsage() });
          this.copyBlocks(encoder, present.gpuBuffer as GPUBuffer, buffer, blocks, 'batched');
          tensor = this.ort.Tensor.fromGpuBuffer(buffer, { dataType: this.gpuType(), dims, dispose: () => buffer.destroy() }); // [1, nh, P + 1, hs]
        } else {
          const batched = present.data as KvArray;
          const data = this.arrays.take(batched, elements); // every element is written below
          for (const block of blocks) data.set(batched.subarray(block.batched, block.batched + block.length), block.own);
          tensor = new this.ort.Tensor(this.pastType, data, dims); // [1, nh, P + 1, hs]
        }
        cache.tensors[this.pastNames[i]] = tensor;
        this.live.add(tensor);
      });
    });
    if (gpu && encoder) gpu.queue.submit([encoder.finish()]);
    for (const name of this.presentNames) outputs[name].dispose(); // after the submit: queue order keeps the copies first
    return caches;
  }

  /** Buffer-to-buffer copies of head blocks; `from` names the side the blocks are read from. */
  private copyBlocks(encoder: GPUCommandEncoder, source: GPUBuffer, target: GPUBuffer, blocks: readonly HeadBlock[], from: 'own' | 'batched'): void {
    const bytes = this.bytesPerElement();
    const to = from === 'own' ? 'batched' : 'own';
    for (const block of blocks) encoder.copyBufferToBuffer(source, block[from] * bytes, target, block[to] * bytes, block.length * bytes);
  }

  private bytesPerElement(): number {
    return this.pastType === 'float16' ? 2 : 4;
  }

  private kvBufferBytes(elements: number): number {
    return Math.ceil((elements * this.bytesPerElement()) / 16) * 16;
  }

  private gpuType(): 'float32' | 'float16' {
    return this.pastType === 'float16' ? 'float16' : 'float32';
  }

  /** Inputs some exports declare besides ids, mask and pasts. */
  private branchFeeds(pastLength: number): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    if (this.declares.useCacheBranch) {
      feeds.use_cache_branch = new this.ort.Tensor('bool', new Uint8Array([pastLength > 0 ? 1 : 0]), [1]); // [1]
    }
    if (this.declares.numLogitsToKeep) {
      feeds.num_logits_to_keep = new this.ort.Tensor('int64', new BigInt64Array([1n]), []); // []
    }
    return feeds;
  }

  private int64(values: readonly number[], dims: number[]): ort.Tensor {
    return new this.ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  }

  disposeCache(cache: KvCache): void {
    for (const tensor of Object.values((cache as KvCacheTensors).tensors)) {
      this.disposeTensor(tensor);
      this.live.delete(tensor);
    }
    (cache as KvCacheTensors).tensors = {};
  }

  /** Disposes a tensor; a CPU array the pool made goes back to it. */
  private disposeTensor(tensor: ort.Tensor): void {
    if (tensor.location === 'cpu') this.arrays.give(tensor.data);
    tensor.dispose();
  }

  private liveElements(): number {
    let elements = 0;
    for (const tensor of this.live) elements += tensor.size;
    return elements;
  }

  memory(): DecoderMemory {
    let liveTensorBytes = 0;
    for (const tensor of this.live) liveTensorBytes += (this.inUse.get(tensor) ?? tensor.size) * (tensor.type === 'float16' ? 2 : 4);
    return { liveTensors: this.live.size, liveTensorBytes };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function emptyData(type: ort.Tensor.Type): Float32Array | Uint16Array {
  return type === 'float16' ? new Uint16Array(0) : new Float32Array(0);
}

/** Logits [B, T, V] → row b's last position as float32 (fp16 models return half floats). */
function lastRow(logits: ort.Tensor, b: number): Float32Array {
  const [, T, V] = logits.dims;
  const data = logits.data as Float32Array | Uint16Array;
  const start = ((b + 1) * T - 1) * V;
  const row = data.subarray(start, start + V);
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
