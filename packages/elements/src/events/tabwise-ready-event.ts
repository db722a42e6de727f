import type { Device } from '@tabwise/core';

/** Details of the model a `<tabwise-chatbot>` loaded. */
export interface ModelReadyInfo {
  /** The `model` attribute: a Hub id or a base URL. */
  model: string;
  /** What actually runs. */
  device: Device;
  /** Why the device is not the one asked for; empty when nothing fell back. */
  deviceReason: string;
  /** The weights' data type in use (fp32, fp16, q8, q4). */
  dtype: string;
}

/** The model is loaded and the chat is ready for messages. Bubbles and crosses shadow roots. */
export class TabwiseReadyEvent extends Event {
  static readonly eventName = 'tabwise-ready';

  constructor(readonly info: ModelReadyInfo) {
    super(TabwiseReadyEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'tabwise-ready': TabwiseReadyEvent;
  }
}
