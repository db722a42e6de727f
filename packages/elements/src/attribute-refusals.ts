// The bookkeeping every element does for attribute values it cannot use: remember why, show it
// inline, tell listeners with a tabwise-error, and forget it once a good value arrives.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';

export class AttributeRefusals implements ReactiveController {
  private refused: ReadonlyMap<string, string> = new Map();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Why each refused attribute was refused, in the order they were refused, for display. */
  get messages(): string[] {
    return [...this.refused.values()];
  }

  /**
   * Refuses `attribute`'s value: shows `attribute="value": <error>. <consequence>` and dispatches a
   * tabwise-error (source 'attribute'). `consequence` says what is used instead ("Using 64.").
   */
  refuse(attribute: string, error: Error, consequence: string): void {
    const written = this.host.getAttribute(attribute);
    const shown = written === null ? '' : `${attribute}="${written}": `;
    this.set(attribute, `${shown}${error.message}. ${consequence}`);
    this.host.dispatchEvent(new TabwiseErrorEvent(error, 'attribute', attribute));
  }

  /** `attribute`'s value is in use: its refusal, if any, goes away. */
  accept(attribute: string): void {
    this.set(attribute, undefined);
  }

  private set(attribute: string, message: string | undefined): void {
    if (message === undefined && !this.refused.has(attribute)) return;
    const refused = new Map(this.refused);
    if (message === undefined) refused.delete(attribute);
    else refused.set(attribute, message);
    this.refused = refused;
    this.host.requestUpdate();
  }
}
