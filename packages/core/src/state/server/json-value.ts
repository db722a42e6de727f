// Server-scoped values travel as JSON, so only what JSON keeps exactly is accepted: null, booleans,
// finite numbers, strings, arrays and plain objects of those. Anything else (undefined, NaN, a Map, a
// Date, a class instance, a cycle) would arrive changed or not at all, so it is refused up front.
import { GlobalStateValueError } from '../errors.js';

/** Throws GlobalStateValueError naming `key` unless `value` survives JSON unchanged. */
export function assertJsonValue(key: string, value: unknown): void {
  let problem: string | undefined;
  try {
    problem = jsonProblem(value, new Set());
  } catch (error) {
    problem = `reading it threw (${(error as Error)?.message ?? error})`; // a throwing getter, a revoked proxy
  }
  if (problem) throw new GlobalStateValueError(key, new TypeError(`not JSON: ${problem}`));
}

function jsonProblem(value: unknown, path: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${value}`;
    case 'object':
      break;
    default:
      return `a ${typeof value}`;
  }
  if (value === null) return undefined;
  if (path.has(value)) return 'a cycle';
  const isArray = Array.isArray(value);
  const prototype = Object.getPrototypeOf(value);
  if (!isArray && prototype !== Object.prototype && prototype !== null) return `an instance of ${prototype?.constructor?.name ?? 'a class'}`;
  path.add(value);
  try {
    if (isArray) {
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) return 'an array with holes';
        const problem = jsonProblem(value[index], path);
        if (problem) return problem;
      }
      return undefined;
    }
    if (Object.getOwnPropertySymbols(value).length > 0) return 'a symbol key';
    for (const name of Object.keys(value)) {
      const problem = jsonProblem((value as Record<string, unknown>)[name], path);
      if (problem) return `${problem} at "${name}"`;
    }
    return undefined;
  } finally {
    path.delete(value);
  }
}
