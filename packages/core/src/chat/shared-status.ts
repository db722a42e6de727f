// What `chat.shared` says: whether this tab's chat uses the origin's shared engine (share: 'origin'),
// whether this tab hosts it, and how many tabs it serves.

/** 'tab': this tab loads its own model (the default). 'origin': every tab of the origin asking for the same model shares one. */
export type ShareMode = 'tab' | 'origin';

export interface SharedStatus {
  /** What createChat() was asked for. */
  requested: ShareMode;
  /** What runs: 'origin' when this chat uses the shared engine, 'tab' when this tab runs its own. */
  mode: ShareMode;
  /** Why `mode` is 'tab' although 'origin' was asked for; empty otherwise. */
  reason: string;
  /** This tab's engine worker runs the model (always true with 'tab'). */
  host: boolean;
  /** Tabs the engine serves, this one included (1 with 'tab'). */
  tabs: number;
}

export const shareModes: readonly ShareMode[] = ['tab', 'origin'];

export function checkShareMode(share: unknown): ShareMode {
  if (!shareModes.includes(share as ShareMode)) throw new RangeError(`share must be 'tab' or 'origin', got ${JSON.stringify(share)}`);
  return share as ShareMode;
}
