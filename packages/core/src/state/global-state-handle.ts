// What createGlobalState() returns: one key of one store, seen through this context's StoreClient.
import { GlobalStateValueError } from './errors.js';
import type { StoreClient } from './store-client.js';
import type { GlobalState, GlobalStateStats, GlobalStateTransportName } from './types.js';

export class GlobalStateHandle<T> implements GlobalState<T> {
  constructor(
    readonly key: string,
    readonly name: string,
    /** A private copy of the caller's default. */
    private readonly defaultValue: T,
    private readonly persist: boolean,
    private readonly client: StoreClient,
  ) {}

  get transport(): GlobalStateTransportName {
    return this.client.transportName;
  }

  async get(): Promise<T> {
    await this.queue().settled();
    const snapshot = await this.client.read(this.name, this.key, this.persist);
    return (snapshot.version === 0 ? structuredClone(this.defaultValue) : snapshot.value) as T;
  }

  async set(value: T): Promise<void> {
    let copy: T;
    try {
      copy = structuredClone(value);
    } catch (error) {
      throw new GlobalStateValueError(this.key, error);
    }
    await this.queue().push({ value: copy, defaultValue: this.defaultValue });
  }

  update(fn: (prev: T) => T | Promise<T>): Promise<T> {
    if (typeof fn !== 'function') return Promise.reject(new TypeError(`update() of global state "${this.key}" needs a function`));
    return this.queue().push({ fn: fn as (prev: unknown) => unknown, defaultValue: this.defaultValue }) as Promise<T>;
  }

  subscribe(callback: (value: T) => void): () => void {
    if (typeof callback !== 'function') throw new TypeError(`subscribe() of global state "${this.key}" needs a function`);
    return this.client.subscribe(this.name, this.key, this.persist, callback as (value: unknown) => void, this.defaultValue);
  }

  async stats(): Promise<GlobalStateStats> {
    const { transport, hostId, version, subscribers, connections } = await this.client.stats(this.name, this.key);
    return { transport, hostId, version, subscribers, connections };
  }

  private queue() {
    return this.client.queue(this.name, this.key, this.persist);
  }
}
