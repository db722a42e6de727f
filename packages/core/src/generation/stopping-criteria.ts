/**
 * When a reply ends: at an eos token, at maxNewTokens, or when the caller aborts. The engine checks
 * after each generated token; aborts are also checked before each model step so a long prefill
 * never starts for a reply nobody waits for.
 */

export type StopReason = 'eos' | 'max-new-tokens' | 'aborted';

export interface StoppingCriteriaInit {
  /** End-of-sequence id(s), as generation_config.json writes `eos_token_id` (number, list or null). */
  eosTokenIds?: number | readonly number[] | null;
  maxNewTokens: number;
  signal?: AbortSignal;
}

export class StoppingCriteria {
  readonly eosTokenIds: readonly number[];
  readonly maxNewTokens: number;
  private readonly eos: ReadonlySet<number>;
  private readonly signal: AbortSignal | undefined;

  constructor({ eosTokenIds, maxNewTokens, signal }: StoppingCriteriaInit) {
    this.eosTokenIds = eosTokenIdList(eosTokenIds);
    this.eos = new Set(this.eosTokenIds);
    this.maxNewTokens = maxNewTokens;
    this.signal = signal;
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  isEos(tokenId: number): boolean {
    return this.eos.has(tokenId);
  }

  /**
   * Why to stop after generating `tokenId`, or null to go on. `newTokenCount` includes it.
   * On 'eos' the token is not part of the reply; on the other reasons it is.
   */
  check(tokenId: number, newTokenCount: number): StopReason | null {
    if (this.isEos(tokenId)) return 'eos';
    if (this.aborted) return 'aborted';
    if (newTokenCount >= this.maxNewTokens) return 'max-new-tokens';
    return null;
  }
}

/** generation_config.json's `eos_token_id` (a number, a list, null or absent) as a list. */
export function eosTokenIdList(value: number | readonly number[] | null | undefined): number[] {
  if (value === null || value === undefined) return [];
  const ids = typeof value === 'number' ? [value] : [...value];
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`eosTokenIds must hold non-negative integers, got ${id}`);
  }
  return ids;
}

/**
 * Throws the signal's reason (by default a DOMException named 'AbortError') when it has fired.
 * Callers branch on `error.name === 'AbortError'`, which survives the worker boundary.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason ?? new DOMException('The generation was aborted.', 'AbortError');
}
