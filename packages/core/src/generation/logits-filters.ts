/**
 * Top-k and top-p (nucleus) filters: they set the logits of tokens that may not be sampled to
 * -Infinity, in place. Ties at the cut are broken by token id (lower ids kept), so a filter never
 * keeps more tokens than asked and never depends on sort stability.
 */
import { kthLargest, nucleusThreshold } from './partial-selection.js';
import { softmaxWeights } from './softmax-weights.js';

/**
 * The nucleus counts as reached when its probability falls short of topP by less than this:
 * float32 logits carry about 1e-7 relative error, so [0.5, 0.3, …] with topP 0.8 keeps two tokens
 * whichever way the last bit rounds.
 */
export const topPTolerance = 1e-6;

/** Keeps the k largest logits; k = 0 or k >= vocabulary size keeps everything. */
export function topKFilter(logits: Float32Array, k: number): void {
  if (k <= 0 || k >= logits.length) return;
  const threshold = kthLargest(logits, k);
  keepAboveThreshold(logits, logits, threshold, k - countAbove(logits, threshold));
}

/**
 * Keeps the smallest set of most likely tokens whose probability sums to at least p (at least one
 * token); p >= 1 keeps everything. Probabilities are the softmax of the logits as they are now, so
 * apply temperature and top-k first.
 */
export function topPFilter(logits: Float32Array, p: number): void {
  if (p >= 1) return;
  const { weights, total } = softmaxWeights(logits);
  if (!(total > 0)) return;
  const { threshold, keepAtThreshold } = nucleusThreshold(weights, (p - topPTolerance) * total, total);
  keepAboveThreshold(logits, weights, threshold, keepAtThreshold);
}

function countAbove(values: ArrayLike<number>, threshold: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > threshold) count++;
  }
  return count;
}

/** Bans every token whose score is below the threshold, and ties beyond the first `ties` of them. */
function keepAboveThreshold(logits: Float32Array, scores: ArrayLike<number>, threshold: number, ties: number): void {
  for (let i = 0; i < logits.length; i++) {
    const score = scores[i];
    if (score > threshold) continue;
    if (score === threshold && ties > 0) {
      ties--;
      continue;
    }
    logits[i] = -Infinity;
  }
}
