/**
 * Logits processors: small functions that edit one step's vocabulary logits in place, given the
 * token history, and buildLogitsProcessors to chain the ones a set of options turns on, in
 * Hugging Face's order (penalties first, then temperature, top-k, top-p).
 */
import { isSampling, type ResolvedGenerationOptions } from './generation-options.js';
import { topKFilter, topPFilter } from './logits-filters.js';

/**
 * Edits one step's logits ([V], float32) in place. `ids` is the whole sequence so far, prompt and
 * reply; `newTokenCount` is how many of those this reply has generated.
 */
export type LogitsProcessor = (logits: Float32Array, ids: readonly number[], newTokenCount: number) => void;

/**
 * Hugging Face's repetition penalty (CTRL paper): each distinct token in `previousIds` has a
 * positive logit divided by `penalty` and a negative one multiplied, so penalty > 1 always makes
 * it less likely. Applied once per token however often it occurred.
 */
export function applyRepetitionPenalty(logits: Float32Array, previousIds: readonly number[], penalty: number): void {
  if (penalty === 1) return;
  const seen = new Set<number>();
  for (const id of previousIds) {
    if (seen.has(id) || !(id >= 0 && id < logits.length)) continue;
    seen.add(id);
    const logit = logits[id];
    logits[id] = logit > 0 ? logit / penalty : logit * penalty;
  }
}

/**
 * Hugging Face's no_repeat_ngram_size: bans every token that would complete an n-gram already
 * present in `ids`, i.e. each token that followed an earlier occurrence of the last n-1 tokens.
 * With n = 1 every token seen so far is banned.
 */
export function banRepeatedNgrams(logits: Float32Array, ids: readonly number[], n: number): void {
  if (n <= 0 || ids.length < n) return;
  const prefixStart = ids.length - (n - 1); // the last n-1 tokens, which the next one would extend
  for (let start = 0; start + n <= ids.length; start++) {
    let matches = true;
    for (let offset = 0; offset < n - 1; offset++) {
      if (ids[start + offset] !== ids[prefixStart + offset]) {
        matches = false;
        break;
      }
    }
    const banned = ids[start + n - 1];
    if (matches && banned >= 0 && banned < logits.length) logits[banned] = -Infinity;
  }
}

/** Divides the logits by a temperature > 0: below 1 sharpens the distribution, above 1 flattens it. */
export function applyTemperature(logits: Float32Array, temperature: number): void {
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new RangeError(`temperature must be a finite number > 0, got ${temperature}`);
  }
  if (temperature === 1) return;
  for (let i = 0; i < logits.length; i++) logits[i] /= temperature;
}

/** Makes the given tokens impossible (used to hold eos back until minNewTokens). */
export function suppressTokens(logits: Float32Array, tokenIds: readonly number[]): void {
  for (const id of tokenIds) {
    if (id >= 0 && id < logits.length) logits[id] = -Infinity;
  }
}

/**
 * One processor applying every step the options turn on. Temperature, top-k and top-p run only
 * when sampling: they never change which token is the most likely, so greedy decoding skips them.
 * `eosTokenIds` is needed only for minNewTokens.
 */
export function buildLogitsProcessors(options: ResolvedGenerationOptions, eosTokenIds: readonly number[] = []): LogitsProcessor {
  const { repetitionPenalty, noRepeatNgramSize, minNewTokens, temperature, topK, topP } = options;
  const steps: LogitsProcessor[] = [];

  if (repetitionPenalty !== 1) steps.push((logits, ids) => applyRepetitionPenalty(logits, ids, repetitionPenalty));
  if (noRepeatNgramSize > 0) steps.push((logits, ids) => banRepeatedNgrams(logits, ids, noRepeatNgramSize));
  if (minNewTokens > 0 && eosTokenIds.length > 0) {
    steps.push((logits, _ids, newTokenCount) => {
      if (newTokenCount < minNewTokens) suppressTokens(logits, eosTokenIds);
    });
  }
  if (isSampling(options)) {
    if (temperature !== 1) steps.push((logits) => applyTemperature(logits, temperature));
    if (topK > 0) steps.push((logits) => topKFilter(logits, topK));
    if (topP < 1) steps.push((logits) => topPFilter(logits, topP));
  }

  return (logits, ids, newTokenCount) => {
    for (const step of steps) step(logits, ids, newTokenCount);
  };
}
