// The worker side of EngineWorkerApi: owns the Engine and this tab's session states.
import { Engine } from '../engine/engine.js';
import { holdLifetimeLock } from '../lifetime/lifetime-lock.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { ChatMessage } from '../engine/conversation.js';
import { EngineConnections } from './engine-connections.js';
import type { EngineLoadRequest, EngineSharingApi, EngineTestHooksApi, EngineWorkerApi, ModelInfo } from './engine-worker-api.js';
import type { FileProgress } from '../engine/file-store.js';
import type { RuntimeFiles } from '../engine/onnx-runtime.js';

export interface EngineHostSettings {
  wasmPaths?: string;
  runtimeFiles?: RuntimeFiles;
  numThreads: number;
  /** Why WASM runs on that many threads (and how to get more), for ModelInfo.threadsReason. */
  threadsReason?: string;
  lockName?: string;
}

export class EngineHost implements EngineWorkerApi, EngineTestHooksApi, EngineSharingApi {
  private engine?: Engine;
  /** The tabs served when this worker hosts a shared engine (share: 'origin'). */
  private connections?: EngineConnections;
  private loading?: Promise<ModelInfo>;
  private request?: EngineLoadRequest;
  private readonly aborted = new Set<string>();

  constructor(private readonly settings: EngineHostSettings) {}

  /** `lockName` comes from the page: worker options stay static, as bundlers require. */
  holdLifetimeLock(lockName = this.settings.lockName): Promise<void> {
    return lockName ? holdLifetimeLock(lockName) : Promise.resolve();
  }

  acceptConnection(port: MessagePort, clientLock: string): void {
    (this.connections ??= new EngineConnections(this)).accept(port, clientLock);
  }

  load(request: EngineLoadRequest, onProgress?: (progress: FileProgress) => void): Promise<ModelInfo> {
    this.request = request;
    this.loading ??= (async () => {
      this.engine = await Engine.load({
        ...request,
        wasmPaths: this.settings.wasmPaths,
        runtimeFiles: this.settings.runtimeFiles,
        numThreads: this.settings.numThreads,
        onProgress: onProgress ? (progress) => void onProgress(progress) : undefined,
      });
      const wasm = this.engine.info.device === 'wasm';
      return {
        ...this.engine.info,
        threads: wasm ? this.settings.numThreads : 1,
        threadsReason: wasm ? (this.settings.threadsReason ?? '') : '',
        loadPhases: this.engine.profile().load,
      };
    })();
    this.loading.catch(() => (this.loading = undefined)); // a failed load may be retried
    return this.loading;
  }

  async memory() {
    return this.ready().memory();
  }

  async destroyGpuDevice(): Promise<boolean> {
    return this.ready().destroyGpuDevice();
  }

  private ready(): Engine {
    if (!this.engine) throw new Error('the model is not loaded yet');
    return this.engine;
  }

  async openSession(id: string, history: ChatMessage[]): Promise<void> {
    this.ready().openSession(id, history);
  }

  async reply(id: string, text: string, generation: GenerationOptions, onToken?: (delta: string) => void) {
    this.aborted.delete(id);
    // Tokens go out without waiting for the page (no round trip per token). They travel on the
    // callback's own port, so the reply could overtake them: the turn ends only once the last
    // token has been delivered.
    let lastDelivery: unknown;
    try {
      return await this.ready().reply(id, text, generation, {
        onToken: onToken ? (delta) => void (lastDelivery = onToken(delta)) : undefined,
        isAborted: () => this.aborted.has(id),
        yieldBetweenSteps: yieldToEventLoop,
      });
    } finally {
      await Promise.resolve(lastDelivery).catch(() => {});
      this.aborted.delete(id);
    }
  }

  abort(id: string): void {
    this.aborted.add(id);
  }

  async history(id: string): Promise<ChatMessage[]> {
    return this.ready().history(id);
  }

  async reset(id: string): Promise<void> {
    this.ready().resetSession(id);
  }

  async undo(id: string): Promise<ChatMessage[]> {
    return this.ready().undoLastTurn(id);
  }

  async closeSession(id: string): Promise<number> {
    this.engine?.closeSession(id);
    return this.engine?.sessionCount ?? 0;
  }

  async filesCached(): Promise<void> {
    await this.engine?.filesCached();
  }
}

/** A macrotask boundary, so an abort message sent by the page is handled between model steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
