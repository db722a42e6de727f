// global(key, default) for served functions: a GlobalState that waits for the page's port (it
// arrives with connect()'s first message), so it can be declared at module level, like Gradio's
// `scores = []` outside the function.
import { createGlobalState } from '../state/create-global-state.js';
import { GlobalStateKeyError, GlobalStateValueError } from '../state/errors.js';
import { useGlobalStorePort } from '../state/global-store-port.js';
import type { GlobalState, GlobalStateOptions, GlobalStateStats, GlobalStateTransportName } from '../state/types.js';

let portArrived!: () => void;
const storeReady = new Promise<void>((resolve) => (portArrived = resolve));

/** Called by the host when the page hands over its store. */
export function attachGlobalStore(port: MessagePort): void {
  useGlobalStorePort(port);
  portArrived();
}

class PendingGlobalState<T> implements GlobalState<T> {
  private state?: GlobalState<T>;
  private readonly ready: Promise<GlobalState<T>>;

  constructor(
    readonly key: string,
    defaultValue: T,
    private readonly options: Omit<GlobalStateOptions, 'transport'>,
  ) {
    // The checks createGlobalState() runs, now, so mistakes surface where global() is called.
    if (typeof key !== 'string' || key.length === 0) throw new GlobalStateKeyError('key', key);
    try {
      structuredClone(defaultValue);
    } catch (error) {
      throw new GlobalStateValueError(key, error);
    }
    this.ready = storeReady.then(() => (this.state = createGlobalState(key, defaultValue, options)));
  }

  get name(): string {
    return this.options.name ?? 'default';
  }

  get transport(): GlobalStateTransportName {
    return this.state?.transport ?? 'shared-worker';
  }

  async get(): Promise<T> {
    return (await this.ready).get();
  }

  async set(value: T): Promise<void> {
    return (await this.ready).set(value);
  }

  async update(fn: (prev: T) => T | Promise<T>): Promise<T> {
    return (await this.ready).update(fn);
  }

  subscribe(callback: (value: T) => void): () => void {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    void this.ready.then((state) => {
      if (!cancelled) unsubscribe = state.subscribe(callback);
    });
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }

  async stats(): Promise<GlobalStateStats> {
    return (await this.ready).stats();
  }
}

/**
 * A value shared by every tab of the origin, reached from a served function through the page's store.
 * update() is compare-and-set, so calls from many tabs at once lose nothing.
 * @example
 * const scores = global('scores', [] as number[]);
 * serve({ track_score: async (score: number) => (await scores.update((all) => [...all, score])).sort((a, b) => b - a).slice(0, 3) });
 */
export function global<T>(key: string, defaultValue: T, options: Omit<GlobalStateOptions, 'transport'> = {}): GlobalState<T> {
  return new PendingGlobalState(key, defaultValue, options);
}
