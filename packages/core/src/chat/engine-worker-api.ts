// The one interface between a page and its engine worker: implemented by EngineHost in the
// worker, used through Comlink.Remote<EngineWorkerApi> on the page.
import type { ChatMessage } from './conversation.js';
import type { FileProgress } from '../engine/file-store.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { TurnResult } from '../engine/engine.js';
import type { DeviceRequest } from '../engine/device.js';
import type { DtypeRequest } from '../engine/load-model.js';

export interface EngineLoadRequest {
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  useCache?: boolean;
}

export interface ModelInfo {
  device: 'webgpu' | 'wasm';
  deviceReason: string;
  dtype: string;
  onnxFile: string;
  maxPositions: number;
  /** WASM threads the engine runs on (1 on WebGPU). */
  threads: number;
  /** Why threads are off or limited, and how to turn them on (empty when nothing to say). */
  threadsReason: string;
}

export interface EngineMemory {
  liveTensors: number;
  liveTensorBytes: number;
  sessions: number;
}

export interface EngineWorkerApi {
  /** Resolves once the worker holds its lifetime lock; the page then waits on that lock. */
  holdLifetimeLock(lockName?: string): Promise<void>;
  load(request: EngineLoadRequest, onProgress?: (progress: FileProgress) => void): Promise<ModelInfo>;
  openSession(id: string, history: ChatMessage[]): Promise<void>;
  reply(id: string, text: string, generation: GenerationOptions, onToken?: (delta: string) => void): Promise<TurnResult>;
  /** Stops the running reply of session `id` at the next step. */
  abort(id: string): void;
  history(id: string): Promise<ChatMessage[]>;
  reset(id: string): Promise<void>;
  /** Removes the last user message and its reply; resolves to the history left. */
  undo(id: string): Promise<ChatMessage[]>;
  /** Closes a session; resolves to the number still open. */
  closeSession(id: string): Promise<number>;
  /** Device changes after load (a lost GPU device moves the engine to WASM). */
  modelInfo(): Promise<ModelInfo | undefined>;
  /** Tensors the engine holds between steps (its KV caches), to check that nothing leaks. */
  memory(): Promise<EngineMemory>;
  /** Fault injection for tests: destroys the engine's GPU device; false when not on WebGPU. */
  destroyGpuDevice(): Promise<boolean>;
}
