import type { ChatMessage, TurnStats } from '@tabwise/core';

/**
 * A message joined the conversation: the user's when it is sent, the assistant's when its reply
 * is complete (or stopped, with `message.interrupted`). Bubbles and crosses shadow roots.
 */
export class TabwiseMessageEvent extends Event {
  static readonly eventName = 'tabwise-message';

  constructor(
    readonly message: ChatMessage,
    /** Timings of the reply; only on assistant messages that finished. */
    readonly stats?: TurnStats,
  ) {
    super(TabwiseMessageEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'tabwise-message': TabwiseMessageEvent;
  }
}
