// serve(): exposes a user's functions from their own dedicated worker module. Declarations are
// checked here, at module load; a refused one is reported to the page by connect(), not thrown,
// so the page gets the named error instead of a bare worker 'error' event.
import * as Comlink from 'comlink';
import '../worker-errors.js';
import { FunctionDeclarationError } from './errors.js';
import { normalizeFunction, type AnyFunction, type FunctionSpec, type ServedFunction } from './function-spec.js';
import { FunctionsHost } from './functions-host.js';
import { readyMessage } from './functions-worker-api.js';
import { reservedNames } from './reserved-names.js';
import { session } from './session.js';
import type { State } from './state.js';
import type { ServedApi } from './types.js';

/**
 * @example
 * // app.worker.js, loaded by the page with connect('./app.worker.js') or <tabwise-interface src=…>
 * const scores = global('scores', []);
 * export const api = serve({
 *   track_score: {
 *     fn: async (score, mine) => [(await scores.update((all) => [...all, score])).sort((a, b) => b - a).slice(0, 3), [...mine, score]],
 *     inputs: ['number', 'state'],
 *     outputs: ['json', 'state'],
 *     state: [],
 *   },
 * });
 */
export function serve<const F extends Record<string, FunctionSpec | AnyFunction>>(functions: F): ServedApi<F> {
  if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') {
    throw new TypeError('serve() runs in a dedicated worker module; load that module with connect(url) from the page');
  }
  const served = new Map<string, ServedFunction>();
  let declarationError: Error | undefined;
  try {
    for (const [name, fn] of Object.entries(functions ?? {})) {
      checkName(name);
      served.set(name, normalizeFunction(name, fn));
    }
    declareStates(served);
  } catch (error) {
    declarationError = error as Error;
    console.error(error);
  }
  const host = new FunctionsHost(declarationError ? new Map() : served, session, declarationError);
  Comlink.expose(host, globalThis as unknown as Comlink.Endpoint);
  (globalThis as unknown as { postMessage(message: unknown): void }).postMessage(readyMessage);
  return { functions: [...served.keys()] } as ServedApi<F>;
}

function checkName(name: string): void {
  if (reservedNames.includes(name)) {
    throw new FunctionDeclarationError(`a served function cannot be named "${name}" (reserved: ${reservedNames.join(', ')})`);
  }
}

/** Every state by name in the session; two different States may not share a name. */
function declareStates(served: Map<string, ServedFunction>): void {
  const byName = new Map<string, { state: State; user: string }>();
  for (const { name: user, inputs = [], outputs = [] } of served.values()) {
    for (const slot of [...inputs, ...outputs]) {
      if (slot.kind !== 'state') continue;
      const known = byName.get(slot.state.name);
      if (known && known.state !== slot.state) {
        throw new FunctionDeclarationError(
          `two different session states are named "${slot.state.name}" (in ${known.user} and ${user}); share one State value or rename one`,
        );
      }
      byName.set(slot.state.name, { state: slot.state, user });
    }
  }
  for (const { state } of byName.values()) session.declare(state);
}
