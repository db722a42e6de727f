// The one interface between a page and its engine worker: implemented by EngineHost in the
// worker, used through Comlink.Remote<EngineWorkerApi> on the page.
import type { ChatMessage } from '../engine/conversation.js';
import type { FileProgress } from '../engine/file-store.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { ModelInfo as EngineModelInfo, TurnResult } from '../engine/engine.js';
import type { DeviceRequest } from '../engine/device.js';
import type { DtypeRequest } from '../engine/load-model.js';
import type { BatchingStats } from '../engine/step-batcher.js';
import type { PhaseTimes } from '../engine/phase-profile.js';

export interface EngineLoadRequest {
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  useCache?: boolean;
  /** Time every phase of the load and of each turn (engine/phase-profile.ts). */
  profile?: boolean;
}

/** What the page learns of a loaded model: the engine's info and the worker's WASM threads. */
export interface ModelInfo extends EngineModelInfo {
  /** WASM threads the engine runs on (1 on WebGPU). */
  threads: number;
  /** Why threads are off or limited, and how to turn them on (empty when nothing to say). */
  threadsReason: string;
  /** The load's phases, when the engine was loaded with `profile: true`. */
  loadPhases?: PhaseTimes;
}

export interface EngineMemory {
  liveTensors: number;
  liveTensorBytes: number;
  sessions: number;
  /** How the engine's model steps ran (engine/step-batcher.ts): alone, batched, prefill chunks. */
  batching: BatchingStats;
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
  /**
   * Resolves once the model's downloaded files are in the Cache API (at once when none is being
   * written). Ready does not wait for the write, so a page waits for this before it ends the worker.
   */
  filesCached(): Promise<void>;
}

/** What only tests call on the engine worker (chat/test-hooks.ts), kept out of EngineWorkerApi. */
export interface EngineTestHooksApi {
  /** Tensors the engine holds between steps (its KV caches), to check that nothing leaks. */
  memory(): Promise<EngineMemory>;
  /** Fault injection: destroys the engine's GPU device; false when not on WebGPU. */
  destroyGpuDevice(): Promise<boolean>;
}

/** What an engine worker offers when it hosts a shared engine (`share: 'origin'`, chat/engine-connections.ts). */
export interface EngineSharingApi {
  /**
   * Serves SharedConnectionApi on `port` for one tab, limited to the sessions opened through it,
   * until that tab releases `clientLock` (closes, crashes or disposes its chats).
   */
  acceptConnection(port: MessagePort, clientLock: string): void;
}

/** One tab's connection to a shared engine: the worker API, each call limited to this connection's sessions. */
export interface SharedConnectionApi extends EngineWorkerApi {
  /** Counts this connection as a tab; `onTabs` hears the number of tabs served whenever it changes. */
  join(onTabs: (tabs: number) => void): Promise<number>;
}
