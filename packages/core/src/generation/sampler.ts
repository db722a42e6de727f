/**
 * Picks the next token: greedy argmax, or a draw from the softmax of the processed logits with a
 * seeded generator. TokenSampler ties options, processors and generator together for one reply.
 */
import { isSampling, type ResolvedGenerationOptions } from './generation-options.js';
import { buildLogitsProcessors, type LogitsProcessor } from './logits-processors.js';
import { createSeededRandom, randomSeed, type RandomSource } from './random-source.js';
import { softmaxWeights } from './softmax-weights.js';

/** Index of the largest logit; the lowest index wins a tie, NaN never wins. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > bestValue) {
      bestValue = logits[i];
      best = i;
    }
  }
  return best;
}

/** Draws a token with probability softmax(logits) (computed in float64); -Infinity logits are never drawn. */
export function sampleFromLogits(logits: ArrayLike<number>, random: RandomSource): number {
  const { weights, total } = softmaxWeights(logits);
  if (!(total > 0)) throw new RangeError('cannot sample: no token has a finite logit');
  let remaining = random() * total;
  let lastDrawable = -1;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i];
    if (weight > 0) {
      lastDrawable = i;
      remaining -= weight;
      if (remaining < 0) return i;
    }
  }
  return lastDrawable; // rounding left a sliver past the last weight
}

/**
 * The next-token rule for one reply. Make one per reply: a seeded sampler replays the same draws
 * from its first call, so the same seed and prompt give the same reply.
 */
export class TokenSampler {
  /** The seed in use (options.seed, or a fresh one); undefined when decoding greedily. */
  readonly seed: number | undefined;
  private readonly process: LogitsProcessor;
  private readonly random: RandomSource | undefined;

  /** `options` come from resolveGenerationOptions(); `eosTokenIds` is needed only for minNewTokens. */
  constructor(
    readonly options: ResolvedGenerationOptions,
    eosTokenIds: readonly number[] = [],
  ) {
    this.process = buildLogitsProcessors(this.options, eosTokenIds);
    if (isSampling(this.options)) {
      this.seed = this.options.seed ?? randomSeed();
      this.random = createSeededRandom(this.seed);
    }
  }

  /**
   * The next token id. Edits `logits` ([V], the last position's row) in place. `ids` is the whole
   * sequence so far; `newTokenCount` how many tokens this reply has generated before this one.
   */
  next(logits: Float32Array, ids: readonly number[], newTokenCount = 0): number {
    this.process(logits, ids, newTokenCount);
    return this.random ? sampleFromLogits(logits, this.random) : argmax(logits);
  }
}
