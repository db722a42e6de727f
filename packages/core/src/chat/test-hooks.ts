// Test hooks, fenced off the everyday API: exported from @tabwise/core only as the namespace
// `TabwiseUnstable` (as lit does with `ReactiveUnstable`). They may change or go in any release.
// See docs/decisions/test-hooks.md.
import * as Comlink from 'comlink';
import { engineLinkOf, type Chat } from './chat.js';
import type { EngineMemory, EngineTestHooksApi } from './engine-worker-api.js';
import type { WorkerLink } from './worker-link.js';

export type { EngineMemory };

const hooks = new WeakMap<WorkerLink, Comlink.Remote<EngineTestHooksApi>>();

function testHooksOf(link: WorkerLink): Comlink.Remote<EngineTestHooksApi> {
  let remote = hooks.get(link);
  if (!remote) hooks.set(link, (remote = Comlink.wrap<EngineTestHooksApi>(link.worker)));
  return remote;
}

/**
 * What the engine keeps on its device between steps: the KV caches of this tab's open chats
 * (shared engine), counted as tensors and bytes. Flat across a reply means nothing leaks.
 */
export function engineMemory(chat: Chat): Promise<EngineMemory> {
  const link = engineLinkOf(chat);
  return link.call(() => testHooksOf(link).memory());
}

/**
 * Fault injection: destroys the GPU device the chat's engine runs on, as a driver reset would.
 * The engine moves to WASM and the conversation goes on. False when not on WebGPU.
 */
export function simulateGpuDeviceLoss(chat: Chat): Promise<boolean> {
  const link = engineLinkOf(chat);
  return link.call(() => testHooksOf(link).destroyGpuDevice());
}
