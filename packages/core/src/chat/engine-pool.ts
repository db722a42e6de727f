// One engine worker per model in a tab: chats with the same model, revision, device and dtype
// share the worker and the loaded model, each with its own session. The last one out frees it.
// Chats that share the origin's engine (share: 'origin') pool their one link to it apart.
import type { FileProgress } from '../engine/file-store.js';
import { epochNow, seenByCaller } from '../engine/phase-profile.js';
import type { EngineLoadRequest, ModelInfo } from './engine-worker-api.js';
import type { EngineLink } from './engine-link.js';
import * as Comlink from 'comlink';
import type { ShareMode } from './shared-status.js';

export interface PooledEngine {
  link: EngineLink;
  info: Promise<ModelInfo>;
  users: number;
}

const engines = new Map<string, PooledEngine & { progress: Set<(p: FileProgress) => void> }>();

export function engineKey(request: EngineLoadRequest): string {
  return JSON.stringify([request.model, request.revision, request.device, request.dtype]);
}

function poolKey(request: EngineLoadRequest, share: ShareMode): string {
  return `${share}:${engineKey(request)}`;
}

/** The shared engine for `request`, started (and the model loading) if none is alive. */
export function acquireEngine(
  request: EngineLoadRequest,
  share: ShareMode,
  startLink: () => EngineLink,
  onProgress?: (p: FileProgress) => void,
): PooledEngine {
  const key = poolKey(request, share);
  let entry = engines.get(key);
  if (!entry || !entry.link.alive) {
    const requestedAt = epochNow();
    const link = startLink();
    const progress = new Set<(p: FileProgress) => void>();
    const info = link
      .call((remote) => remote.load(request, Comlink.proxy((p: FileProgress) => progress.forEach((listener) => listener(p)))))
      .then((info) => (info.loadPhases ? { ...info, loadPhases: seenByCaller(info.loadPhases, requestedAt, epochNow()) } : info));
    entry = { link, info, users: 0, progress };
    engines.set(key, entry);
    // A failed load leaves nothing behind: the next createChat starts over.
    const failed = entry;
    info.catch(() => {
      if (engines.get(key) === failed) engines.delete(key);
      if (failed.users === 0) failed.link.terminate('the model failed to load');
    });
  }
  if (onProgress) {
    const listeners = entry.progress;
    listeners.add(onProgress);
    entry.info.finally(() => listeners.delete(onProgress)).catch(() => {});
  }
  entry.users++;
  return entry;
}

export function releaseEngine(entry: PooledEngine, request: EngineLoadRequest, share: ShareMode): void {
  entry.users--;
  if (entry.users > 0) return;
  const key = poolKey(request, share);
  if (engines.get(key) === entry) engines.delete(key);
  entry.link.terminate();
}
