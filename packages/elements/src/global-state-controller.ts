// The link between an element and one key of global state: subscribes while the host is in the
// page, so the host re-renders on every value committed by any tab, and unsubscribes when it leaves.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createGlobalState, type GlobalState } from '@tabwise/core';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { toError } from './to-error.js';

export interface GlobalStateRequest {
  key: string;
  persist: boolean;
}

export class GlobalStateController<T> implements ReactiveController {
  /** The latest committed value (the default until the store answers). */
  value: T;
  /** False until the store delivered the first value. */
  known = false;
  /** Why the state could not be opened (e.g. an empty key). */
  error?: Error;
  private request?: GlobalStateRequest;
  private state?: GlobalState<T>;
  private unsubscribe?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly defaultValue: T,
  ) {
    this.value = defaultValue;
    host.addController(this);
  }

  /** The strategy that reaches the store ('shared-worker', 'broadcast-channel' or 'in-tab'). */
  get transport(): string | undefined {
    return this.state?.transport;
  }

  /** Follows `request`'s key from now on; a no-op when it is the one followed already. */
  use(request: GlobalStateRequest): void {
    if (this.request?.key === request.key && this.request.persist === request.persist) return;
    this.request = request;
    this.close();
    if (this.host.isConnected) this.open();
  }

  hostConnected(): void {
    if (!this.state) this.open();
  }

  hostDisconnected(): void {
    this.close();
  }

  /** Commits `fn(latest)`; it may run more than once if other tabs commit first, so keep it pure. */
  update(fn: (prev: T) => T): Promise<T> {
    if (!this.state) return Promise.reject(this.error ?? new Error('the global state is not open'));
    return this.state.update(fn);
  }

  private open(): void {
    if (!this.request) return;
    this.value = this.defaultValue;
    this.known = false;
    this.error = undefined;
    try {
      this.state = createGlobalState<T>(this.request.key, this.defaultValue, { persist: this.request.persist });
    } catch (error) {
      this.error = toError(error);
      this.host.requestUpdate();
      this.host.dispatchEvent(new TabwiseErrorEvent(this.error, 'state'));
      return;
    }
    const state = this.state;
    this.unsubscribe = state.subscribe((value) => {
      if (state !== this.state) return;
      this.value = value;
      this.known = true;
      this.host.requestUpdate();
    });
    this.host.requestUpdate();
  }

  private close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.state = undefined;
  }
}
