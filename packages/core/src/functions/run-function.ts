// One call of a served function, with Gradio's state semantics: states are read from this tab's
// session and passed in, states among the outputs are stored, and nothing is stored when the
// function throws or returns something unusable.
import { componentCheck, describeType } from './component-types.js';
import { FunctionArgumentError, FunctionOutputError } from './errors.js';
import type { ServedFunction, Slot } from './function-spec.js';
import type { Session } from './session.js';
import { cloneState } from './state.js';

/** Runs `served` with the page's `args`; resolves to the non-state outputs (one value, an array, or undefined). */
export async function runFunction(served: ServedFunction, args: unknown[], session: Session): Promise<unknown> {
  const { inputs, outputs } = served;
  if (!inputs) return served.fn(...args);
  checkArguments(served, inputs, args);
  let next = 0;
  // Each state is a private copy: a function that mutates it and then throws leaves the session as it was.
  const callArgs = inputs.map((slot) => (slot.kind === 'state' ? session.read(slot.state) : args[next++]));
  const result = await served.fn(...callArgs);
  if (!outputs) return result;

  const values = outputs.length === 1 ? [result] : result;
  if (!Array.isArray(values) || values.length !== outputs.length) {
    const shape = outputs.map((slot) => (slot.kind === 'state' ? `state "${slot.state.name}"` : slot.type)).join(', ');
    throw new FunctionOutputError(
      `${served.name}() must return an array of ${outputs.length} values (${shape}), got ${Array.isArray(values) ? `${values.length}` : describeType(values)}`,
    );
  }
  // Clone every new state before storing any, so one that can't be cloned leaves all of them as they were.
  const updates = outputs.flatMap((slot, index) =>
    slot.kind === 'state' ? [{ state: slot.state, value: cloneState(slot.state.name, values[index], `the value ${served.name}() returned`) }] : [],
  );
  for (const { state, value } of updates) session.write(state, value);
  const shown = values.filter((_, index) => outputs[index].kind === 'value');
  return shown.length === 0 ? undefined : shown.length === 1 ? shown[0] : shown;
}

function checkArguments(served: ServedFunction, inputs: Slot[], args: unknown[]): void {
  const parameters = inputs.filter((slot) => slot.kind === 'value');
  const signature = `${served.name}(${parameters.map((slot) => slot.parameter).join(', ')})`;
  if (args.length < parameters.length) {
    const missing = parameters[args.length];
    throw new FunctionArgumentError(`${signature} is missing the argument "${missing.parameter}" (${componentCheck(missing.type).expected})`);
  }
  if (args.length > parameters.length) {
    const count = `${parameters.length} argument${parameters.length === 1 ? '' : 's'}`;
    throw new FunctionArgumentError(`${signature} takes ${count}, got ${args.length} (the session state is filled in by the worker)`);
  }
  parameters.forEach((slot, index) => {
    const check = componentCheck(slot.type);
    if (!check.accepts(args[index])) {
      throw new FunctionArgumentError(`${signature}: "${slot.parameter}" must be ${check.expected}, got ${describeType(args[index])}`);
    }
  });
}
