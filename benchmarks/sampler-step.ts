// Micro-benchmark of one decode step's CPU work after the model: processors + sampling over a
// 50257-token vocabulary. Printed, not asserted (timings depend on the machine), so it is not a
// test. Run: npx tsx benchmarks/sampler-step.ts
import { TokenSampler } from '../packages/core/src/generation/sampler.js';
import { resolveGenerationOptions, type GenerationOptions } from '../packages/core/src/generation/generation-options.js';

const VOCABULARY = 50257;
const STEPS = 300;

function randomLogits(seed: number, spread: number): Float32Array {
  let state = seed;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  // Sum of uniforms ≈ normal: a bell of logits, like a real model's last row.
  return Float32Array.from({ length: VOCABULARY }, () => (next() + next() + next() - 1.5) * spread);
}

function medianStepMs(options: GenerationOptions, base: Float32Array): number {
  const sampler = new TokenSampler(resolveGenerationOptions(options));
  const history = Array.from({ length: 300 }, (_, i) => (i * 7919) % VOCABULARY);
  const logits = new Float32Array(VOCABULARY);
  const times: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    logits.set(base);
    const start = performance.now();
    const id = sampler.next(logits, history, step);
    times.push(performance.now() - start);
    if (!(id >= 0 && id < VOCABULARY)) throw new RangeError(`sampled id ${id} is outside the vocabulary`);
  }
  return times.sort((a, b) => a - b)[STEPS >> 1];
}

{
  const peaked = randomLogits(1, 8);
  const flat = randomLogits(2, 1); // a random-weight model: top-p keeps tens of thousands
  const cases: Array<[string, GenerationOptions, Float32Array]> = [
    ['greedy', {}, peaked],
    ['greedy + repetition 1.2 + no-repeat 3', { repetitionPenalty: 1.2, noRepeatNgramSize: 3 }, peaked],
    ['sample, temperature 0.8', { doSample: true, temperature: 0.8, seed: 1 }, peaked],
    ['sample, all on (t 0.8, k 50, p 0.9, rep 1.2, ngram 3)',
      { doSample: true, temperature: 0.8, topK: 50, topP: 0.9, repetitionPenalty: 1.2, noRepeatNgramSize: 3, seed: 1 }, peaked],
    ['sample, top-p 0.9 only, peaked logits', { doSample: true, topP: 0.9, seed: 1 }, peaked],
    ['sample, top-p 0.9 only, flat logits', { doSample: true, topP: 0.9, seed: 1 }, flat],
  ];
  const lines = cases.map(([name, options, base]) => `${medianStepMs(options, base).toFixed(3).padStart(7)} ms  ${name}`);

  const sortCopy = Float32Array.from(flat);
  const start = performance.now();
  sortCopy.sort();
  lines.push(`${(performance.now() - start).toFixed(3).padStart(7)} ms  (reference: one full Float32Array sort of 50257 values)`);
  console.log(`median per step over ${STEPS} steps:\n${lines.join('\n')}`);
}
