/**
 * When a reply ends: the generation loop (engine/generation-loop.ts) asks after each sampled token.
 * Aborts are not a stopping criterion: the loop checks them before each model step, so a long
 * prefill never runs for a reply nobody waits for.
 */

export type StopReason = 'eos' | 'max-new-tokens' | 'context-full';

export interface StoppingCriteriaInit {
  eosTokenIds: readonly number[];
  maxNewTokens: number;
  /** Positions the model has (1024 for DialoGPT); a token that would not fit ends the reply. */
  maxPositions: number;
}

export class StoppingCriteria {
  private readonly eos: ReadonlySet<number>;
  private readonly maxNewTokens: number;
  private readonly maxPositions: number;

  constructor({ eosTokenIds, maxNewTokens, maxPositions }: StoppingCriteriaInit) {
    this.eos = new Set(eosTokenIds);
    this.maxNewTokens = maxNewTokens;
    this.maxPositions = maxPositions;
  }

  isEos(tokenId: number): boolean {
    return this.eos.has(tokenId);
  }

  /**
   * Why to stop after sampling `tokenId`, or null to go on. `newTokenCount` includes it; `cached`
   * is how many positions the KV cache holds (the token not yet fed back). On 'eos' the token is
   * not part of the reply; on the other reasons it is, and it is never fed back.
   */
  check(tokenId: number, newTokenCount: number, cached: number): StopReason | null {
    if (this.isEos(tokenId)) return 'eos';
    if (newTokenCount >= this.maxNewTokens) return 'max-new-tokens';
    // Feeding the token back would leave no position for the one after it.
    if (cached + 1 >= this.maxPositions) return 'context-full';
    return null;
  }
}
