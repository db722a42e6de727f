/**
 * A session state of this tab changed: fired by a connect() client when a function stored a value
 * that differs (deep comparison) from the one before. Not fired for an equal value.
 */
export class StateChangeEvent extends Event {
  static readonly eventName = 'change';

  constructor(
    /** The state's name: the function's name for an Interface, the State's name for Blocks. */
    readonly state: string,
    /** A copy of the new value. */
    readonly value: unknown,
  ) {
    super(StateChangeEvent.eventName);
  }
}
