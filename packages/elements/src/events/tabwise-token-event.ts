/** A piece of the reply arrived while it streams in. Bubbles and crosses shadow roots. */
export class TabwiseTokenEvent extends Event {
  static readonly eventName = 'tabwise-token';

  constructor(
    /** The new text: one token's worth, possibly empty while a multi-byte character completes. */
    readonly delta: string,
    /** The reply so far, `delta` included. */
    readonly text: string,
  ) {
    super(TabwiseTokenEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'tabwise-token': TabwiseTokenEvent;
  }
}
