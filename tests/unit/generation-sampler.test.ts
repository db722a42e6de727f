import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topPFilter } from '../../packages/core/src/generation/logits-filters.ts';
import { createSeededRandom, randomSeed } from '../../packages/core/src/generation/random-source.ts';
import { argmax, sampleFromLogits, TokenSampler } from '../../packages/core/src/generation/sampler.ts';
import { resolveGenerationOptions, type GenerationOptions } from '../../packages/core/src/generation/generation-options.ts';

const logitsFromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);

function frequencies(draw: () => number, size: number, count: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < count; i++) counts[draw()]++;
  return counts.map((c) => c / count);
}

/** A toy "model": logits over 40 tokens that depend on the last token, so choices feed back. */
function toyLogits(ids: readonly number[]): Float32Array {
  const last = ids[ids.length - 1] ?? 0;
  return Float32Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7 + last * 0.9) * 2);
}

function generate(options: GenerationOptions, steps = 30): number[] {
  const sampler = new TokenSampler(resolveGenerationOptions(options));
  const ids = [1];
  for (let step = 0; step < steps; step++) ids.push(sampler.next(toyLogits(ids), ids, step));
  return ids.slice(1);
}

describe('argmax', () => {
  it('returns the first index of the largest value and skips NaN', () => {
    assert.equal(argmax([1, 3, 2, 3]), 1);
    assert.equal(argmax(Float32Array.from([NaN, -1, -0.5, -Infinity])), 2);
    assert.equal(argmax([-Infinity, -Infinity]), 0);
  });
});

describe('createSeededRandom', () => {
  it('replays a seed, differs across seeds (all 53 bits), stays in [0, 1)', () => {
    const draws = (seed: number): number[] => Array.from({ length: 100 }, createSeededRandom(seed));
    assert.deepEqual(draws(42), draws(42));
    assert.notDeepEqual(draws(42), draws(43));
    assert.notDeepEqual(draws(1), draws(1 + 2 ** 32));
    assert.notDeepEqual(draws(-1), draws(1));
    const many = Array.from({ length: 100_000 }, createSeededRandom(0));
    assert.ok(many.every((x) => x >= 0 && x < 1));
    const mean = many.reduce((a, b) => a + b, 0) / many.length;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  });

  it('randomSeed gives 32-bit integers that vary', () => {
    const seeds = new Set(Array.from({ length: 20 }, randomSeed));
    assert.ok(seeds.size > 1);
    for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32);
  });
});

describe('sampleFromLogits', () => {
  it('draws tokens in proportion to their probabilities', () => {
    const probs = [0.5, 0.3, 0.15, 0.05];
    const logits = logitsFromProbs(probs);
    const random = createSeededRandom(1);
    const observed = frequencies(() => sampleFromLogits(logits, random), 4, 10_000);
    // 4 standard deviations of a 10k-draw frequency is at most 0.02
    observed.forEach((f, i) => assert.ok(Math.abs(f - probs[i]) < 0.02, `token ${i}: ${f} vs ${probs[i]}`));
  });

  it('after top-p only ever draws kept tokens, renormalized', () => {
    const logits = logitsFromProbs([0.5, 0.3, 0.15, 0.05]);
    topPFilter(logits, 0.8);
    const random = createSeededRandom(2);
    const observed = frequencies(() => sampleFromLogits(logits, random), 4, 10_000);
    assert.equal(observed[2], 0);
    assert.equal(observed[3], 0);
    assert.ok(Math.abs(observed[0] - 0.625) < 0.02, `token 0: ${observed[0]}`);
    assert.ok(Math.abs(observed[1] - 0.375) < 0.02, `token 1: ${observed[1]}`);
  });

  it('handles large logits without overflow and refuses an empty distribution', () => {
    const random = createSeededRandom(3);
    assert.equal(sampleFromLogits(Float32Array.from([1000, -Infinity, 1000 - 50]), random), 0);
    assert.throws(() => sampleFromLogits(Float32Array.from([-Infinity, NaN]), random), RangeError);
  });
});

describe('TokenSampler', () => {
  it('is greedy by default and with temperature 0', () => {
    const expected: number[] = [];
    const ids = [1];
    for (let step = 0; step < 30; step++) {
      expected.push(argmax(toyLogits(ids)));
      ids.push(expected[expected.length - 1]);
    }
    assert.deepEqual(generate({}), expected);
    assert.deepEqual(generate({ doSample: true, temperature: 0, seed: 5 }), expected);
    assert.equal(new TokenSampler(resolveGenerationOptions({})).seed, undefined);
  });

  it('replays a seeded reply and differs for another seed', () => {
    const options = { doSample: true, temperature: 1.5, topK: 20, topP: 0.95 };
    const first = generate({ ...options, seed: 11 });
    assert.deepEqual(generate({ ...options, seed: 11 }), first);
    assert.notDeepEqual(generate({ ...options, seed: 12 }), first);
    assert.notDeepEqual(first, generate({}), 'sampling should leave the greedy path somewhere');
  });

  it('reports the fresh seed it drew, which replays the reply', () => {
    const options = { doSample: true, temperature: 1.5 };
    const sampler = new TokenSampler(resolveGenerationOptions(options));
    assert.ok(Number.isInteger(sampler.seed));
    const ids = [1];
    for (let step = 0; step < 30; step++) ids.push(sampler.next(toyLogits(ids), ids, step));
    assert.deepEqual(generate({ ...options, seed: sampler.seed }), ids.slice(1));
  });

  it('applies the penalties before choosing', () => {
    const sampler = new TokenSampler(resolveGenerationOptions({ noRepeatNgramSize: 1 }));
    assert.equal(sampler.next(Float32Array.from([5, 4, 3]), [0], 0), 1);
  });
});
