/**
 * Unnormalized softmax in float64: weights[i] = exp(logits[i] - max), so the largest weight is 1
 * and nothing overflows. Callers divide by `total` only where they need probabilities; top-p and
 * sampling compare against `p * total` instead, which saves a pass over the vocabulary.
 */

export interface SoftmaxWeights {
  /** Index-aligned with the logits; -Infinity and NaN logits get weight 0. Reused by the next call. */
  weights: Float64Array;
  /** Sum of the weights; 0 when no logit is finite. */
  total: number;
}

// One buffer for the whole worker: a decode step runs one call at a time, and 50257 float64s is
// 400 kB we would otherwise allocate and collect every token.
let buffer = new Float64Array(0);

export function softmaxWeights(logits: ArrayLike<number>): SoftmaxWeights {
  const length = logits.length;
  if (buffer.length < length) buffer = new Float64Array(length);
  const weights = buffer.subarray(0, length);

  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    if (logits[i] > max) max = logits[i];
  }
  if (max === -Infinity || max === Infinity) {
    // Nothing finite (or an overflowed logit): no meaningful distribution.
    weights.fill(0);
    return { weights, total: 0 };
  }

  let total = 0;
  for (let i = 0; i < length; i++) {
    const value = logits[i];
    // `value > -Infinity` is false for NaN too, so NaN logits never get probability.
    const weight = value > -Infinity ? Math.exp(value - max) : 0;
    weights[i] = weight;
    total += weight;
  }
  return { weights, total };
}
