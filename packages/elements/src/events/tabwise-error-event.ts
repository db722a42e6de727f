/** What went wrong: an attribute value, loading the model, a message, or the shared state. */
export type TabwiseErrorSource = 'attribute' | 'load' | 'send' | 'state' | 'input';

/**
 * Something failed; the element shows it too. `error.name` says what (RangeError for a bad
 * attribute, ModelLoadError, WorkerCrashedError, …). Bubbles and crosses shadow roots.
 */
export class TabwiseErrorEvent extends Event {
  static readonly eventName = 'tabwise-error';

  constructor(
    readonly error: Error,
    readonly source: TabwiseErrorSource,
    /** For `source: 'attribute'`: the attribute whose value was refused. */
    readonly attribute?: string,
  ) {
    super(TabwiseErrorEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'tabwise-error': TabwiseErrorEvent;
  }
}
