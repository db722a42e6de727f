// The one interface between a page and its engine worker: implemented by EngineHost in the
// worker, used through Comlink.Remote<EngineWorkerApi> on the page.
import type { ChatMessage } from '../engine/conversation.js';
import type { FileProgress } from '../engine/file-store.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { ModelInfo, TurnResult } from '../engine/engine.js';
import type { DeviceRequest } from '../engine/device.js';
import type { DtypeRequest } from '../engine/load-model.js';

export type { ModelInfo };

export interface EngineLoadRequest {
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  useCache?: boolean;
}

export interface EngineMemory {
  liveTensors: number;
  liveTensorBytes: number;
  sessions: number;
}

export interface EngineWorkerApi {
  /** Resolves once the worker holds its lifetime lock; the page then waits on that lock. */
  holdLifetimeLock(): Promise<void>;
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
}

/** What only tests call on the engine worker (chat/test-hooks.ts), kept out of EngineWorkerApi. */
export interface EngineTestHooksApi {
  /** Tensors the engine holds between steps (its KV caches), to check that nothing leaks. */
  memory(): Promise<EngineMemory>;
  /** Fault injection: destroys the engine's GPU device; false when not on WebGPU. */
  destroyGpuDevice(): Promise<boolean>;
}
