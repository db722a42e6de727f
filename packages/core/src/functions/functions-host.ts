// The worker side of FunctionsWorkerApi: this tab's served functions, each behind its own queue,
// all on one Session.
import { FunctionArgumentError, UnknownFunctionError } from './errors.js';
import { describeFunction, type FunctionDescription, type ServedFunction } from './function-spec.js';
import type { AttachRequest, FunctionsWorkerApi } from './functions-worker-api.js';
import { attachGlobalStore } from './global-store-link.js';
import { ConcurrencyQueue } from './concurrency-queue.js';
import { runFunction } from './run-function.js';
import { holdLifetimeLock } from '../lifetime/lifetime-lock.js';
import type { Session } from './session.js';

export class FunctionsHost implements FunctionsWorkerApi {
  private readonly queues = new Map<string, ConcurrencyQueue>();
  private stopListening?: () => void;

  constructor(
    private readonly functions: ReadonlyMap<string, ServedFunction>,
    private readonly sessionStates: Session,
    /** Why serve() refused the declarations; every attach() rejects with it. */
    private readonly declarationError?: Error,
  ) {
    for (const served of functions.values()) this.queues.set(served.name, new ConcurrencyQueue(served.concurrency));
  }

  async attach({ lockName, globalStore }: AttachRequest, onStateChange?: (name: string, value: unknown) => void): Promise<FunctionDescription[]> {
    if (this.declarationError) throw this.declarationError;
    if (globalStore) attachGlobalStore(globalStore);
    if (onStateChange) {
      this.stopListening?.();
      this.stopListening = this.sessionStates.onChange((name, value) => void onStateChange(name, value));
    }
    if (lockName) await holdLifetimeLock(lockName);
    return [...this.functions.values()].map(describeFunction);
  }

  call(name: string, args: unknown[]): Promise<unknown> {
    const served = this.functions.get(name);
    if (!Array.isArray(args)) return Promise.reject(new FunctionArgumentError(`the arguments of ${name}() must be an array`));
    if (!served) {
      const names = [...this.functions.keys()].map((known) => `"${known}"`).join(', ') || 'none';
      return Promise.reject(new UnknownFunctionError(`this worker serves no function "${name}" (it serves ${names})`));
    }
    return this.queues.get(name)!.run(() => runFunction(served, args, this.sessionStates));
  }

  async session(): Promise<Record<string, unknown>> {
    return this.sessionStates.snapshot();
  }
}
