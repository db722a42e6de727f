// Loading a model: choose the device, read config/tokenizer/ONNX files from wherever the model
// lives (Cache API first in browsers), and open the decoder session.
import { CorruptModelFileError, ModelLoadError, RuntimeLoadError } from '../errors.js';
import { chooseDevice, deviceRequests, type DeviceRequest } from './device.js';
import { DialogptTokenizer } from './dialogpt-tokenizer.js';
import { DirectoryFileStore, isDirectory } from './directory-file-store.js';
import type { ModelFileStore, ProgressCallback } from './file-store.js';
import { FileReadError, warnOnConsole } from './file-store.js';
import { HttpFileStore } from './http-file-store.js';
import { readModelConfig, type ModelConfig } from './model-config.js';
import { dtypes, fetchOnnx, type Dtype } from './model-files.js';
import { resolveModelSource } from './model-source.js';
import { appendingGraph, OnnxDecoder, startWasmRuntime, type Device, type RuntimeFiles } from './onnx-runtime.js';
import { PhaseProfile, type PhaseTimes } from './phase-profile.js';
import { loadTokenizers } from './tokenizers-loader.js';

export type DtypeRequest = 'auto' | Dtype;

export interface LoadModelOptions {
  /** Hub id (default onnx-community/DialoGPT-small-ONNX), base URL, or (Node) a directory. */
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  onProgress?: ProgressCallback;
  /** Where onnxruntime-web's .wasm/.mjs files are (browser): a folder URL… */
  wasmPaths?: string;
  /** …or each file by its own URL. */
  runtimeFiles?: RuntimeFiles;
  numThreads?: number;
  /** Use the browser's Cache API for model files. Default true. */
  useCache?: boolean;
  warn?: (message: string) => void;
  /** Time every phase of the load and of each turn (engine/phase-profile.ts). Default false: no cost. */
  profile?: boolean;
}

export interface LoadedModel {
  config: ModelConfig;
  tokenizer: DialogptTokenizer;
  decoder: OnnxDecoder;
  device: Device;
  deviceReason: string;
  dtype: Dtype;
  /** The ONNX file that was loaded, e.g. onnx/model_quantized.onnx. */
  onnxFile: string;
  /** Watches the GPU device for loss (WebGPU only). */
  gpuDeviceLost?: Promise<GPUDeviceLostInfo>;
  /** The engine's phase profile (PhaseProfile.off unless asked for), and the load's phases when on. */
  profile: PhaseProfile;
  loadPhases?: PhaseTimes;
  /** Resolves once the downloaded files are in the Cache API (never rejects); ready does not wait for it. */
  filesCached: Promise<void>;
}

export function validateLoadOptions(options: LoadModelOptions): void {
  if (options.device !== undefined && !deviceRequests.includes(options.device)) {
    throw new RangeError(`device must be one of ${deviceRequests.join(', ')}; got ${JSON.stringify(options.device)}`);
  }
  if (options.dtype !== undefined && options.dtype !== 'auto' && !dtypes.includes(options.dtype)) {
    throw new RangeError(`dtype must be one of auto, ${dtypes.join(', ')}; got ${JSON.stringify(options.dtype)}`);
  }
}

/** dtype 'auto': int8 on WASM (4× less to download and read per token), fp16/fp32 on WebGPU. */
function dtypesToTry(request: DtypeRequest, device: Device, shaderF16: boolean): Dtype[] {
  if (request !== 'auto') return [request];
  if (device === 'wasm') return ['q8', 'fp32'];
  return shaderF16 ? ['fp16', 'fp32'] : ['fp32'];
}

export async function loadModel(options: LoadModelOptions = {}): Promise<LoadedModel> {
  validateLoadOptions(options);
  const { device: deviceRequest = 'auto', dtype: dtypeRequest = 'auto', onProgress } = options;
  const profile = options.profile ? new PhaseProfile() : PhaseProfile.off;
  const window = profile.begin();
  const directory = typeof options.model === 'string' && (await isDirectory(options.model));
  const source = resolveModelSource(options.model, options.revision, () => directory);
  const store: ModelFileStore =
    source.kind === 'directory'
      ? new DirectoryFileStore(source.path, profile)
      : new HttpFileStore(source.baseUrl, { useCache: options.useCache, warn: options.warn, profile });

  const runtime = { wasmPaths: options.wasmPaths, runtimeFiles: options.runtimeFiles, numThreads: options.numThreads ?? 1 };
  // The tokenizer library is imported beside the reads (in the engine worker, a file beside it).
  void loadTokenizers().catch(() => {}); // a failure is DialogptTokenizer.create's to report
  let choice = await chooseDevice(deviceRequest);
  // The WASM runtime starts (compiles, starts its threads) while the files below are read.
  if (choice.device === 'wasm') void startWasmRuntime(runtime);

  // Every file is read at once: which ONNX file to read depends on the device and dtype, not on the
  // JSON files, so the long read (the floor of a load, with the session build) starts at once. Where
  // a JSON file fails, the ONNX read is stopped and says nothing more.
  const stopOnnx = new AbortController();
  const onnxProgress: ProgressCallback = (progress) => {
    if (!stopOnnx.signal.aborted) onProgress?.(progress);
  };
  // On WASM the graph edit (onnx-runtime.ts appendingGraph) runs while the external data is read.
  const onGraph = choice.device === 'wasm' ? (model: Uint8Array) => void appendingGraph(model, 'wasm', runtime, profile) : undefined;
  const fetchingOnnx = fetchOnnx(store, dtypesToTry(dtypeRequest, choice.device, choice.shaderF16), { onProgress: onnxProgress, signal: stopOnnx.signal, onGraph });
  fetchingOnnx.catch(() => {}); // awaited below: a failure before then is not an unhandled rejection
  const { config, tokenizerJson, tokenizerConfig } = await readJsonFiles(store, onProgress).catch(async (error: unknown) => {
    stopOnnx.abort();
    await fetchingOnnx.catch(() => {});
    throw error;
  });

  // The tokenizer (hundreds of ms of JS) builds while the ONNX file is read or downloaded, which
  // happens off this thread; it used to be built after the session, adding its whole time to ready.
  let tokenizer: DialogptTokenizer;
  try {
    tokenizer = await profile.time('tokenizerBuild', () => DialogptTokenizer.create(tokenizerJson, tokenizerConfig, config.eosTokenId));
  } catch (error) {
    await fetchingOnnx.catch(() => {});
    // The library's file failing is not the model's fault: its files stay cached (writes finished).
    if (error instanceof RuntimeLoadError) await store.settle?.();
    throw error;
  }
  let onnx = await fetchingOnnx;
  const create = (device: Device, adapter?: GPUAdapter) => OnnxDecoder.create(onnx.model, onnx.externalData, config, device, runtime, adapter, profile);

  /**
   * A WASM session (which runs every standard op) that cannot open a cached copy that passed the
   * size and format checks has bytes the disk or an interrupted write spoiled: they are read from
   * the network once more before the load fails, instead of failing every load until a retry evicts them.
   */
  const wasmSession = () =>
    create('wasm').catch(async (error: unknown) => {
      const cached = onnx.reads.filter((file) => store.readFromCache?.(file));
      if (error instanceof RuntimeLoadError || cached.length === 0) throw error;
      (options.warn ?? warnOnConsole)(`onnxruntime-web could not open the cached ${cached.join(', ')} (${(error as Error).message}); fetching it again`);
      for (const file of cached) await store.discard?.(file);
      onnx = await fetchOnnx(store, [onnx.dtype], { onProgress, onGraph });
      return create('wasm');
    });

  let decoder: OnnxDecoder;
  const failed = async (error: unknown): Promise<never> => {
    // The runtime's own files failing is not the model's fault: keep the cached model.
    if (error instanceof RuntimeLoadError) {
      await store.settle?.();
      throw error;
    }
    await store.discard?.(onnx.file);
    throw sessionError(store, onnx.file, error);
  };
  try {
    decoder = await (choice.device === 'wasm' ? wasmSession() : create(choice.device, choice.adapter));
  } catch (error) {
    if (choice.device !== 'webgpu' || deviceRequest !== 'auto') return failed(error);
    // WebGPU could not run this graph; WASM can run every standard op.
    choice = { device: 'wasm', reason: `fell back to WASM: the WebGPU session failed (${(error as Error).message})`, shaderF16: false };
    decoder = await wasmSession().catch(failed);
  }
  // The Cache API writes ran beside the session build and may still run: ready does not wait for
  // them (they took longer than the build on this box). Whoever ends the engine waits for them.
  const filesCached = store.settle?.() ?? Promise.resolve();
  return {
    config,
    tokenizer,
    decoder,
    device: choice.device,
    deviceReason: choice.reason,
    dtype: onnx.dtype,
    onnxFile: onnx.file,
    gpuDeviceLost: (await decoder.gpuDevice())?.lost,
    profile,
    loadPhases: window?.end(),
    filesCached,
  };
}

/** config.json and the tokenizer's files, read together. Where several fail (a model URL that is
 * wrong), the error names the first in this order, config.json, not whichever failed first. */
async function readJsonFiles(store: ModelFileStore, onProgress?: ProgressCallback) {
  const reads = await Promise.allSettled(['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((file) => readJson(store, file, onProgress)));
  const failedRead = reads.find((read) => read.status === 'rejected');
  if (failedRead) throw failedRead.reason;
  const [configJson, tokenizerJson, tokenizerConfig] = reads.map((read) => (read as PromiseFulfilledResult<Record<string, unknown>>).value);
  return { config: readModelConfig(configJson), tokenizerJson, tokenizerConfig };
}

async function readJson(store: ModelFileStore, file: string, onProgress?: ProgressCallback): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.read(file, onProgress)));
  } catch (error) {
    if (error instanceof FileReadError) throw new ModelLoadError(`could not load ${error.location}: ${error.answer}`);
    throw error;
  }
}

function sessionError(store: ModelFileStore, file: string, error: unknown): Error {
  if (error instanceof TypeError) return new CorruptModelFileError(`${store.locate(file)}: ${error.message}`);
  return new CorruptModelFileError(`${store.locate(file)} could not be opened by onnxruntime-web: ${(error as Error).message}`);
}
