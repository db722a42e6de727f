// Types that carry a worker's served functions to the page: `connect<typeof api>(url)` gives one
// typed callable per function, taking the non-state inputs and resolving to the non-state outputs.
import type { AnyFunction, FunctionSpec } from './function-spec.js';
import type { State } from './state.js';

/** What serve() returns: export it and `import type` it on the page. */
export interface ServedApi<F> {
  readonly functions: readonly string[];
  /** Type-only: the declarations, for connect<typeof api>(). */
  readonly declarations?: F;
}

type IsState<C> = C extends 'state' ? true : C extends State<any> ? true : false;

/** The parameters at the positions of `I` that are not states. */
type ValueArguments<P extends unknown[], I extends readonly unknown[]> = I extends readonly [infer IH, ...infer IT]
  ? P extends [infer PH, ...infer PT]
    ? IsState<IH> extends true
      ? ValueArguments<PT, IT>
      : [PH, ...ValueArguments<PT, IT>]
    : []
  : [];

/** The returned values at the positions of `O` that are not states. */
type ValueOutputs<R, O extends readonly unknown[]> = O extends readonly [infer OH, ...infer OT]
  ? R extends readonly [infer RH, ...infer RT]
    ? IsState<OH> extends true
      ? ValueOutputs<RT, OT>
      : [RH, ...ValueOutputs<RT, OT>]
    : unknown[]
  : [];

/** One value is returned as itself, none as undefined, several as an array. */
type Shown<V> = V extends [] ? undefined : V extends [infer One] ? One : V;

type Outputs<R, O extends readonly unknown[]> = O extends readonly [infer Only]
  ? IsState<Only> extends true
    ? undefined
    : R
  : Shown<ValueOutputs<R, O>>;

export type Callable<S> = S extends AnyFunction
  ? (...args: Parameters<S>) => Promise<Awaited<ReturnType<S>>>
  : S extends FunctionSpec<infer Fn>
    ? S extends { inputs: infer I extends readonly unknown[] }
      ? (
          ...args: ValueArguments<Parameters<Fn>, I>
        ) => Promise<S extends { outputs: infer O extends readonly unknown[] } ? Outputs<Awaited<ReturnType<Fn>>, O> : Awaited<ReturnType<Fn>>>
      : (...args: Parameters<Fn>) => Promise<Awaited<ReturnType<Fn>>>
    : never;

/** One callable per served function of `Api` (`typeof api`, where `api = serve({...})`). */
export type Callables<Api> = Api extends ServedApi<infer F> ? { readonly [K in keyof F]: Callable<F[K]> } : Record<string, (...args: unknown[]) => Promise<unknown>>;
