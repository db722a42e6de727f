// One tab's session states. Every tab connects its own worker, so one Session per worker module is
// one per tab: another tab never sees it, and a reload (a new worker) starts every state afresh.
import { deepEqual } from './deep-equal.js';
import { cloneState, State } from './state.js';

export type StateChangeListener = (name: string, value: unknown) => void;

export class Session {
  private readonly values = new Map<string, unknown>();
  private readonly declared = new Map<string, State>();
  private readonly listeners = new Set<StateChangeListener>();

  /** Makes `state` known by name (serve() declares every state its functions use). */
  declare(state: State): void {
    this.declared.set(state.name, state);
  }

  /** A private copy of the state's current value; its default is made on first use. */
  read<T>(state: State<T>): T {
    if (!this.values.has(state.name)) this.values.set(state.name, state.createDefault());
    return structuredClone(this.values.get(state.name)) as T;
  }

  /**
   * Stores a copy of `value`. A value that can't be cloned is a StateValueError and the old one stays;
   * listeners hear of it only when it differs (deeply) from what was stored.
   */
  write<T>(state: State<T>, value: T): void {
    const copy = cloneState(state.name, value, 'the new value');
    const had = this.values.has(state.name);
    const old = this.values.get(state.name);
    this.values.set(state.name, copy);
    if (had && deepEqual(old, copy)) return;
    for (const listener of this.listeners) listener(state.name, structuredClone(copy));
  }

  /** The current value of the state declared as `name`, for code inside a function. */
  get<T = unknown>(name: string): T {
    return this.read(this.named(name)) as T;
  }

  /** Replaces the value of the state declared as `name`, as returning it from a function would. */
  set(name: string, value: unknown): void {
    this.write(this.named(name), value);
  }

  /** Copies of the states this tab has used so far, by name. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.values].map(([name, value]) => [name, structuredClone(value)]));
  }

  onChange(listener: StateChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private named(name: string): State {
    const state = this.declared.get(name);
    if (!state) {
      const known = [...this.declared.keys()].map((known) => `"${known}"`).join(', ') || 'none';
      throw new RangeError(`no session state is named "${name}" (declared: ${known})`);
    }
    return state;
  }
}

/** This tab's session states, for code inside served functions. */
export const session = new Session();
