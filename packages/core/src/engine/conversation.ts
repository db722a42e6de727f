// One tab's session state as DialoGPT sees it: turns joined by <|endoftext|>,
// context = u1 eos b1 eos u2 eos …, and which prefix of that context the KV cache already holds.

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  /** The reply was stopped (abort or reset) before the model finished it. */
  interrupted?: boolean;
}

export interface Turn {
  message: ChatMessage;
  /** Token ids of the content, without the eos that follows every turn. */
  ids: number[];
}

export class Conversation {
  turns: Turn[] = [];

  constructor(readonly eosTokenId: number) {}

  get history(): ChatMessage[] {
    return this.turns.map((turn) => ({ ...turn.message }));
  }

  /** The ids the model sees for `turns`: each turn's ids followed by eos. */
  contextOf(turns: readonly Turn[] = this.turns): number[] {
    return turns.flatMap((turn) => [...turn.ids, this.eosTokenId]);
  }

  /**
   * The turns to keep so that `extra` more tokens fit in `budget` positions: the oldest whole
   * turns are dropped first (user and reply together, so the context still opens with a user).
   */
  turnsThatFit(extra: number, budget: number): Turn[] {
    let kept = this.turns;
    const length = (turns: readonly Turn[]) => turns.reduce((sum, turn) => sum + turn.ids.length + 1, 0);
    while (kept.length > 0 && length(kept) + extra > budget) {
      kept = kept.slice(kept[0].message.role === 'user' && kept[1]?.message.role === 'assistant' ? 2 : 1);
    }
    return kept;
  }
}

/** Length of the common prefix of two id lists. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a[i] === b[i]) i++;
  return i;
}
