/**
 * Seeded random numbers for sampling. mulberry32 (Tommy Ettinger, public domain): one 32-bit state
 * word, a few integer multiplies per draw, and statistically ample for picking tokens; it is not
 * cryptographic. Integer arithmetic only, so a seed gives the same draws on every engine.
 */

/** A uniform float in [0, 1) on each call. */
export type RandomSource = () => number;

const stateIncrement = 0x6d2b79f5;

/** A generator seeded with any safe integer (all 53 bits matter, not just the low 32). */
export function createSeededRandom(seed: number): RandomSource {
  const high = Math.floor(seed / 2 ** 32);
  let state = (seed >>> 0) ^ Math.imul(high | 0, 0x9e3779b1);
  return () => {
    state = (state + stateIncrement) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A fresh 32-bit seed: crypto.getRandomValues where it exists (browsers, workers, Node >= 19), else Math.random. */
export function randomSeed(): number {
  const crypto = globalThis.crypto;
  if (crypto?.getRandomValues) return crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 2 ** 32);
}
