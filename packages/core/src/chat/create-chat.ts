// createChat(): the library's front door for session state.
import type { DeviceRequest } from '../engine/device.js';
import type { FileProgress } from '../engine/file-store.js';
import { validateLoadOptions, type DtypeRequest } from '../engine/load-model.js';
import { modelCacheName } from '../engine/http-file-store.js';
import { defaultModel, defaultRevision, isHubId, resolveModelSource } from '../engine/model-source.js';
import { resolveGenerationOptions, type GenerationOptions } from '../generation/generation-options.js';
import { startEngineWorker } from '../workers/start-engine-worker.js';
import { engineSharingUnavailableReason } from '../state/engine-broker-client.js';
import { Chat, type ChatInit } from './chat.js';
import type { EngineLink } from './engine-link.js';
import { engineKey } from './engine-pool.js';
import type { EngineLoadRequest } from './engine-worker-api.js';
import { SharedEngineLink } from './shared-engine-link.js';
import { checkShareMode, type ShareMode } from './shared-status.js';
import { WorkerLink } from './worker-link.js';

export interface ChatOptions {
  /** Hub id (default onnx-community/DialoGPT-small-ONNX), a base URL of a Hugging Face–layout model, or (Node) a directory. */
  model?: string;
  revision?: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  /** Defaults for every send; a send may override them. */
  generation?: GenerationOptions;
  onProgress?: (progress: FileProgress) => void;
  /** Cache model files with the Cache API (default true). */
  useCache?: boolean;
  /** Where the engine worker script is, to override the one bundled with the package. */
  workerUrl?: URL | string;
  /**
   * 'tab' (default): this tab loads its own model. 'origin': every tab of the origin asking for the
   * same model, revision, dtype and device uses one engine, hosted by one of them; each keeps its
   * own session. Falls back to 'tab' where it cannot work, saying why in `chat.shared.reason`.
   */
  share?: ShareMode;
  /**
   * Time every phase of the load (`chat.loadPhases`) and of each turn (`chat.stats.phases`,
   * `chat.stats.firstTokenPhases`) inside the engine worker. Default false: nothing is recorded.
   */
  profile?: boolean;
}

/** Checks the options (failing fast, with the option's name) and builds the engine's load request. */
export function chatRequest(options: ChatOptions, model: string): { request: EngineLoadRequest; generation: GenerationOptions } {
  const { revision = defaultRevision, device = 'auto', dtype = 'auto' } = options;
  validateLoadOptions({ device, dtype });
  const generation = options.generation ?? {};
  resolveGenerationOptions(generation);
  checkShareMode(options.share ?? 'tab');
  return { request: { model, revision, device, dtype, useCache: options.useCache, profile: options.profile }, generation };
}

export async function createChat(options: ChatOptions = {}): Promise<Chat> {
  const { model = defaultModel, revision = defaultRevision } = options;
  const { request, generation } = chatRequest(options, model);
  // Resolve on the page: relative URLs are relative to the page, and unsafe URLs never reach the worker.
  const source = resolveModelSource(model, revision);
  if (source.kind === 'url' && !isHubId(model)) request.model = source.baseUrl;
  const { workerUrl } = options;
  const scriptUrl = workerUrl === undefined ? undefined : new URL(workerUrl, location.href).href;
  const startWorkerLink = () => new WorkerLink(() => startEngineWorker(scriptUrl), scriptUrl);
  const share = sharePlan(options.share ?? 'tab');
  const startLink: () => EngineLink =
    share.mode === 'origin' ? () => new SharedEngineLink(engineKey(request), startWorkerLink) : startWorkerLink;
  if (options.useCache !== false) await openModelCache();
  return Chat.create({ request, generation, startLink, onProgress: options.onProgress, share });
}

/**
 * Opens the model cache from the page before any engine worker does. WebKitGTK 2.50 drops a
 * dedicated worker's Cache API writes (the page and every later worker see none of them) when that
 * worker is the first in the profile to open the cache; once the page has opened it, they persist
 * (docs/decisions/browsers.md). Elsewhere this is one cheap call; a failure is the worker's to report.
 */
async function openModelCache(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await caches.open(modelCacheName).catch(() => undefined);
}

function sharePlan(requested: ShareMode): ChatInit['share'] {
  const reason = requested === 'origin' ? engineSharingUnavailableReason() : '';
  return { requested, mode: reason ? 'tab' : requested, reason };
}
