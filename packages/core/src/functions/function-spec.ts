// What serve() accepts for one function, and its checked, normalized form. Two styles, as Gradio:
// - Interface: inputs/outputs hold the string 'state' once each, last; `state` gives its default.
// - Blocks: inputs/outputs hold State declarations, as many as needed, anywhere.
import { componentTypes, isComponentType, type ComponentType } from './component-types.js';
import { FunctionDeclarationError } from './errors.js';
import { parameterNames } from './parameter-names.js';
import { State } from './state.js';

export type AnyFunction = (...args: any[]) => any;

/** One input or output: a component type, or (Blocks style) a session State. */
export type Component = ComponentType | State<any>;

export interface FunctionSpec<F extends AnyFunction = AnyFunction> {
  fn: F;
  /** Checked against the arguments of every call; without it, any arguments are passed as they come. */
  inputs?: readonly Component[];
  /** What fn returns: the value itself for one output, an array for several. */
  outputs?: readonly Component[];
  /** Interface style: the default of its 'state' (a function is called once per tab), or a State to name it. */
  state?: unknown;
  /** Calls of this function from one tab running at once; the others wait in order. Default 1. */
  concurrency?: number;
}

export type Slot = { kind: 'value'; type: Exclude<ComponentType, 'state'>; parameter: string } | { kind: 'state'; state: State };

export interface ServedFunction {
  name: string;
  fn: AnyFunction;
  style: 'plain' | 'interface' | 'blocks';
  inputs?: Slot[];
  outputs?: Slot[];
  concurrency: number;
}

/** What the page learns about a served function (no code, only shapes). */
export interface FunctionDescription {
  name: string;
  style: ServedFunction['style'];
  /** Component types of the inputs, 'state' for every session state; absent when not declared. */
  inputs?: ComponentType[];
  outputs?: ComponentType[];
  /** Names of the session states the function reads and writes. */
  states: string[];
  /** Parameter names of the non-state inputs, for labels (read from the function's source, best effort). */
  parameters?: string[];
  concurrency: number;
}

export function normalizeFunction(name: string, served: FunctionSpec | AnyFunction): ServedFunction {
  const spec: FunctionSpec = typeof served === 'function' ? { fn: served } : served;
  const fail = (why: string) => new FunctionDeclarationError(`served function "${name}": ${why}`);
  if (typeof spec !== 'object' || spec === null || typeof spec.fn !== 'function') {
    throw fail('give a function, or { fn, inputs, outputs }');
  }
  const concurrency = spec.concurrency ?? 1;
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw fail(`concurrency must be an integer >= 1 or Infinity, got ${String(concurrency)}`);
  }
  for (const list of ['inputs', 'outputs'] as const) {
    const components = spec[list];
    if (components === undefined) continue;
    if (!Array.isArray(components)) throw fail(`${list} must be an array of component types or State values`);
    for (const component of components) {
      if (!(component instanceof State) && !isComponentType(component)) {
        throw fail(`${list} has ${JSON.stringify(component)}, which is neither a State nor one of ${componentTypes.join(', ')}`);
      }
    }
  }
  const interfaceStates = (spec.inputs ?? []).filter((c) => c === 'state').length + (spec.outputs ?? []).filter((c) => c === 'state').length;
  const blocksStates = [...(spec.inputs ?? []), ...(spec.outputs ?? [])].some((c) => c instanceof State);
  if (interfaceStates > 0 && blocksStates) {
    throw fail(`mixes the Interface 'state' with Blocks State values; use one style`);
  }
  if (spec.state !== undefined && interfaceStates === 0) {
    throw fail(`\`state\` is given but no input or output is 'state'`);
  }
  const style = interfaceStates > 0 ? 'interface' : blocksStates ? 'blocks' : 'plain';
  const interfaceState = style === 'interface' ? interfaceStateOf(name, spec, fail) : undefined;
  const names = parameterNames(spec.fn);
  const slots = (components: readonly Component[] | undefined) =>
    components?.map((component, index): Slot => {
      if (component instanceof State) return { kind: 'state', state: component };
      if (component === 'state') return { kind: 'state', state: interfaceState! };
      return { kind: 'value', type: component, parameter: names[index] ?? `input ${index + 1} (${component})` };
    });
  return { name, fn: spec.fn, style, inputs: slots(spec.inputs), outputs: slots(spec.outputs), concurrency };
}

/** The Interface rules: exactly one 'state' input and one 'state' output, both last. */
function interfaceStateOf(name: string, spec: FunctionSpec, fail: (why: string) => Error): State {
  for (const list of ['inputs', 'outputs'] as const) {
    const components = spec[list] ?? [];
    const count = components.filter((c) => c === 'state').length;
    if (count > 1) {
      throw fail(
        `an Interface takes exactly one 'state' ${list.slice(0, -1)}, got ${count}. For several session states use Blocks style: ` +
          `declare each with new State(name, default) and list those State values in inputs and outputs`,
      );
    }
    if (count === 0) throw fail(`an Interface with a 'state' needs exactly one 'state' input and one 'state' output; ${list} has none`);
    if (components[components.length - 1] !== 'state') {
      throw fail(`'state' must be the last of the ${list}: the function receives the current state last and returns [...outputs, newState]`);
    }
  }
  return spec.state instanceof State ? spec.state : new State(name, spec.state as unknown);
}

export function describeFunction(served: ServedFunction): FunctionDescription {
  const types = (slots?: Slot[]) => slots?.map((slot) => (slot.kind === 'state' ? 'state' : slot.type));
  const states = [...(served.inputs ?? []), ...(served.outputs ?? [])].flatMap((slot) => (slot.kind === 'state' ? [slot.state.name] : []));
  return {
    name: served.name,
    style: served.style,
    inputs: types(served.inputs),
    outputs: types(served.outputs),
    states: [...new Set(states)],
    parameters: served.inputs?.flatMap((slot) => (slot.kind === 'value' ? [slot.parameter] : [])),
    concurrency: served.concurrency,
  };
}
