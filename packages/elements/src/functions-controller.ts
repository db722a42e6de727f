// The link between an element and a worker module that calls serve(): connects while the host is
// in the page (one worker, so one session, per element), closes the worker when it leaves.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connect, type FunctionDescription, type FunctionsConnection } from '@tabwise/core';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { toError } from './to-error.js';

/** idle: no src; connecting: the module loads; ready: functions known; failed: see error. */
export type FunctionsStatus = 'idle' | 'connecting' | 'ready' | 'failed';

export class FunctionsController implements ReactiveController {
  status: FunctionsStatus = 'idle';
  client?: FunctionsConnection;
  error?: Error;
  private src = '';
  /** Bumped by every (re)connect; late results of older ones are dropped. */
  private epoch = 0;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The served function named `name`, once connected. */
  describe(name: string): FunctionDescription | undefined {
    return this.client?.functions.find((served) => served.name === name);
  }

  /** Follows `src` (resolved against the page) from now on; a no-op when it is the one followed. */
  use(src: string): void {
    if (src === this.src) return;
    this.src = src;
    if (this.host.isConnected) void this.open();
  }

  hostConnected(): void {
    if (!this.client && this.status !== 'connecting') void this.open();
  }

  hostDisconnected(): void {
    this.close();
  }

  private async open(): Promise<void> {
    this.close();
    const epoch = ++this.epoch;
    if (!this.src) return;
    this.status = 'connecting';
    this.host.requestUpdate();
    try {
      const client = await connect(new URL(this.src, document.baseURI));
      if (epoch !== this.epoch) return client.close();
      this.client = client;
      this.status = 'ready';
    } catch (error) {
      if (epoch !== this.epoch) return;
      this.error = toError(error);
      this.status = 'failed';
      this.host.dispatchEvent(new TabwiseErrorEvent(this.error, 'load'));
    }
    this.host.requestUpdate();
  }

  private close(): void {
    this.epoch++;
    this.client?.close();
    this.client = undefined;
    this.error = undefined;
    this.status = 'idle';
  }
}
