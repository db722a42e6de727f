// The one interface between a page and a worker that calls serve(): implemented by FunctionsHost
// in the worker, used through Comlink.Remote<FunctionsWorkerApi> by connect().
import type { FunctionDescription } from './function-spec.js';

export interface AttachRequest {
  /** A Web Lock the worker holds for its lifetime; the page waits on it to learn the worker died. */
  lockName?: string;
  /** A port to the page's global store (openGlobalStorePort), transferred. */
  globalStore?: MessagePort;
}

/** The first message a serving worker posts, once it listens: the page sends nothing before it. */
export const readyMessage = 'tabwise-functions-ready';

export interface FunctionsWorkerApi {
  /** Hands over the page's links; resolves to the served functions, or rejects with the declaration error. */
  attach(request: AttachRequest, onStateChange?: (name: string, value: unknown) => void): Promise<FunctionDescription[]>;
  /** Runs a served function on this tab's session; resolves to its non-state outputs. */
  call(name: string, args: unknown[]): Promise<unknown>;
  /** Copies of the session states used so far, by name. */
  session(): Promise<Record<string, unknown>>;
}
