// A session state declaration, Gradio's gr.State: a name and a default. The value itself lives in
// the Session of each tab (one worker per tab), never here.
import { StateValueError } from './errors.js';

/** A default: a value deep-copied for each tab, or a function called once per tab to make it. */
export type StateDefault<T> = T | (() => T);

export class State<T = unknown> {
  private readonly defaultCopy?: T;
  private readonly makeDefault?: () => T;

  /**
   * @param name how the page sees this state (`client.session()`, `change` events).
   * @param defaultValue what each tab starts with; `undefined` (Gradio's None) when omitted.
   * A value that can't be structured-cloned is a StateValueError (a TypeError) here, not on first use.
   * @example
   * const history = new State('history', () => [] as string[]);
   */
  constructor(
    readonly name: string,
    defaultValue?: StateDefault<T>,
  ) {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`a State needs a non-empty name, got ${JSON.stringify(name)}`);
    if (typeof defaultValue === 'function') {
      this.makeDefault = defaultValue as () => T;
    } else {
      this.defaultCopy = cloneState(name, defaultValue as T, 'its default');
    }
  }

  /** A fresh default for one tab: a deep copy, or the result of the default function. */
  createDefault(): T {
    if (!this.makeDefault) return structuredClone(this.defaultCopy) as T;
    return cloneState(this.name, this.makeDefault(), 'the value its default function returned');
  }
}

/** structuredClone, with a StateValueError that names the state and what was being cloned. */
export function cloneState<T>(name: string, value: T, what: string): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new StateValueError(`${what} for session state "${name}" cannot be cloned (${(error as Error)?.message ?? error})`);
  }
}
