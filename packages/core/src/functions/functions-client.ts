// What connect() resolves to: one worker (so one session) with a callable per served function,
// beside a few members of its own (see reserved-names.ts).
import type * as Comlink from 'comlink';
import type { FunctionDescription } from './function-spec.js';
import type { FunctionsWorkerApi } from './functions-worker-api.js';
import { StateChangeEvent } from './state-change-event.js';
import type { WorkerLiveness } from '../lifetime/worker-liveness.js';

export interface FunctionsClientEventMap {
  change: StateChangeEvent;
}

export class FunctionsClient extends EventTarget {
  /** The served functions, with their inputs, outputs and states. */
  functions: readonly FunctionDescription[] = [];

  constructor(
    readonly worker: Worker,
    private readonly remote: Comlink.Remote<FunctionsWorkerApi>,
    private readonly liveness: WorkerLiveness,
  ) {
    super();
  }

  /** False once the worker died or close() was called; every call then rejects with WorkerCrashedError. */
  get alive(): boolean {
    return this.liveness.alive;
  }

  /** Calls a served function by name; the same as `client[name](...args)`. */
  call(name: string, ...args: unknown[]): Promise<unknown> {
    return this.liveness.race(this.remote.call(name, args) as Promise<unknown>);
  }

  /** Copies of this tab's session states, by name (those used so far). */
  session(): Promise<Record<string, unknown>> {
    return this.liveness.race(this.remote.session());
  }

  /** Ends the worker, and with it this session. */
  close(): void {
    this.worker.terminate();
    this.liveness.stop('it was closed');
  }

  /** @internal Adds the callables once the worker said what it serves. */
  useFunctions(functions: FunctionDescription[]): void {
    this.functions = functions;
    for (const { name } of functions) {
      Object.defineProperty(this, name, { value: (...args: unknown[]) => this.call(name, ...args), enumerable: true });
    }
  }

  /** @internal Receives the worker's state changes. */
  readonly stateChanged = (name: string, value: unknown): void => {
    this.dispatchEvent(new StateChangeEvent(name, value));
  };

  override addEventListener<K extends keyof FunctionsClientEventMap>(
    type: K,
    listener: ((event: FunctionsClientEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }
}
