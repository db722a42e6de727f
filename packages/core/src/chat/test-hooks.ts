// Test hooks, fenced off the everyday API: exported from @tabwise/core only as the namespace
// `TabwiseUnstable` (as lit does with `ReactiveUnstable`). They may change or go in any release.
// See docs/decisions/test-hooks.md.
import type * as Comlink from 'comlink';
import { engineLinkOf, sessionIdOf, type Chat } from './chat.js';
import type { EngineMemory, EngineTestHooksApi, EngineWorkerApi } from './engine-worker-api.js';

export type { EngineMemory };

/** The engine host implements the hooks too; they are only left out of EngineWorkerApi's type. */
function testHooks(remote: Comlink.Remote<EngineWorkerApi>): Comlink.Remote<EngineTestHooksApi> {
  return remote as unknown as Comlink.Remote<EngineTestHooksApi>;
}

/**
 * What the engine keeps on its device between steps: the KV caches of this tab's open chats
 * (shared engine), counted as tensors and bytes. Flat across a reply means nothing leaks.
 */
export function engineMemory(chat: Chat): Promise<EngineMemory> {
  return engineLinkOf(chat).call((remote) => testHooks(remote).memory());
}

/**
 * Fault injection: destroys the GPU device the chat's engine runs on, as a driver reset would.
 * The engine moves to WASM and the conversation goes on. False when not on WebGPU.
 */
export function simulateGpuDeviceLoss(chat: Chat): Promise<boolean> {
  return engineLinkOf(chat).call((remote) => testHooks(remote).destroyGpuDevice());
}

/** The id of `chat`'s session in its engine (a shared engine keys every tab's sessions by it). */
export function sessionId(chat: Chat): string {
  return sessionIdOf(chat);
}

/**
 * Fault injection for a shared engine's access control: calls `method` of the engine worker API
 * with `args` on `chat`'s own connection, as a misbehaving tab could, bypassing the Chat.
 * Arguments are plain values (no callbacks).
 */
export function rawEngineCall(chat: Chat, method: keyof EngineWorkerApi, args: unknown[]): Promise<unknown> {
  return engineLinkOf(chat).call(async (remote) => (remote[method] as unknown as (...args: unknown[]) => Promise<unknown>)(...args));
}

/**
 * How long a share: 'origin' guest waits for the engine broker to hand it to the host before it
 * runs its own engine (default 60 s); for tests of that fallback.
 */
export { setEngineBrokerDeadline } from './shared-engine-link.js';
