// createChat(): the library's front door for session state.
import type { DeviceRequest } from '../engine/device.js';
import type { FileProgress } from '../engine/file-store.js';
import { validateLoadOptions, type DtypeRequest } from '../engine/load-model.js';
import { defaultModel, defaultRevision, isHubId, resolveModelSource } from '../engine/model-source.js';
import { resolveGenerationOptions, type GenerationOptions } from '../generation/generation-options.js';
import { Chat } from './chat.js';

export interface ChatOptions {
  /** Hub id (default onnx-community/DialoGPT-small-ONNX) or a base URL of a Hugging Face–layout model. */
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  /** Defaults for every send; a send may override them. */
  generation?: GenerationOptions;
  onProgress?: (progress: FileProgress) => void;
  /** Cache model files with the Cache API (default true). */
  useCache?: boolean;
  /** Where the engine worker script is, if your bundler moved it. */
  workerUrl?: URL | string;
}

export async function createChat(options: ChatOptions = {}): Promise<Chat> {
  const { model = defaultModel, revision = defaultRevision, device = 'auto', dtype = 'auto' } = options;
  validateLoadOptions({ device, dtype });
  const generation = options.generation ?? {};
  resolveGenerationOptions(generation); // fail fast, here, with the option's name
  // Resolve on the page: relative URLs are relative to the page, and unsafe URLs never reach the worker.
  const source = resolveModelSource(model, revision);
  const resolvedModel = source.kind === 'url' && !isHubId(model) ? source.baseUrl : model;
  return Chat.create({
    request: { model: resolvedModel, revision, device, dtype, useCache: options.useCache },
    generation,
    workerUrl: options.workerUrl ?? new URL('./engine-worker.js', import.meta.url),
    onProgress: options.onProgress,
  });
}
