import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRepetitionPenalty,
  applyTemperature,
  banRepeatedNgrams,
  buildLogitsProcessors,
  suppressTokens,
} from '../../packages/core/src/generation/logits-processors.ts';
import { resolveGenerationOptions } from '../../packages/core/src/generation/generation-options.ts';

const logitsOf = (...values: number[]): Float32Array => Float32Array.from(values);
const bannedIn = (logits: Float32Array): number[] =>
  [...logits.keys()].filter((i) => logits[i] === -Infinity);

describe('applyRepetitionPenalty', () => {
  it('divides positive logits, multiplies negative ones, once per distinct token', () => {
    const logits = logitsOf(2, -2, 3, 0, 1);
    applyRepetitionPenalty(logits, [0, 1, 0, 0, 3, 1], 2);
    assert.deepEqual([...logits], [1, -4, 3, 0, 1]);
  });

  it('is a no-op at penalty 1 and rewards repeats below 1', () => {
    const logits = logitsOf(2, -2);
    applyRepetitionPenalty(logits, [0, 1], 1);
    assert.deepEqual([...logits], [2, -2]);
    applyRepetitionPenalty(logits, [0, 1], 0.5);
    assert.deepEqual([...logits], [4, -1]);
  });

  it('ignores ids outside the vocabulary', () => {
    const logits = logitsOf(2, 2);
    applyRepetitionPenalty(logits, [-1, 2, 99], 2);
    assert.deepEqual([...logits], [2, 2]);
  });
});

describe('banRepeatedNgrams', () => {
  it('bans tokens that would complete an n-gram already present (n = 2)', () => {
    const logits = new Float32Array(10);
    // bigrams: (1,2) (2,3) (3,1) (1,4) (4,1); the last token is 1, so 2 and 4 are banned
    banRepeatedNgrams(logits, [1, 2, 3, 1, 4, 1], 2);
    assert.deepEqual(bannedIn(logits), [2, 4]);
  });

  it('matches the whole n-1 prefix (n = 3)', () => {
    const logits = new Float32Array(10);
    // the last two tokens (5, 6) occurred before, followed by 7; (6, 6) → 8 must not be banned
    banRepeatedNgrams(logits, [5, 6, 7, 6, 6, 8, 5, 6], 3);
    assert.deepEqual(bannedIn(logits), [7]);
  });

  it('bans every seen token for n = 1, nothing for n = 0 or a short history', () => {
    const one = new Float32Array(6);
    banRepeatedNgrams(one, [3, 1, 3], 1);
    assert.deepEqual(bannedIn(one), [1, 3]);
    const zero = new Float32Array(6);
    banRepeatedNgrams(zero, [3, 3, 3], 0);
    assert.deepEqual(bannedIn(zero), []);
    const short = new Float32Array(6);
    banRepeatedNgrams(short, [3, 3], 3);
    assert.deepEqual(bannedIn(short), []);
  });

  it('agrees with a brute-force n-gram set on random histories', () => {
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 5;
    for (let trial = 0; trial < 200; trial++) {
      const ids = Array.from({ length: 1 + (trial % 30) }, next);
      const n = 1 + (trial % 4);
      const expected = new Set<number>();
      for (let start = 0; start + n <= ids.length; start++) {
        const prefix = ids.slice(start, start + n - 1).join();
        if (prefix === ids.slice(ids.length - n + 1).join() || n === 1) expected.add(ids[start + n - 1]);
      }
      const logits = new Float32Array(5);
      banRepeatedNgrams(logits, ids, n);
      assert.deepEqual(bannedIn(logits), [...expected].sort(), `ids ${ids} n ${n}`);
    }
  });
});

describe('applyTemperature', () => {
  it('divides every logit by the temperature', () => {
    const logits = logitsOf(1, -2, 4);
    applyTemperature(logits, 0.5);
    assert.deepEqual([...logits], [2, -4, 8]);
    applyTemperature(logits, 2);
    assert.deepEqual([...logits], [1, -2, 4]);
  });

  it('refuses a temperature that is not a positive number', () => {
    assert.throws(() => applyTemperature(logitsOf(1), 0), /^RangeError: temperature/);
    assert.throws(() => applyTemperature(logitsOf(1), NaN), /^RangeError: temperature/);
  });
});

describe('suppressTokens', () => {
  it('bans the given ids', () => {
    const logits = logitsOf(1, 2, 3);
    suppressTokens(logits, [2, 7]);
    assert.deepEqual(bannedIn(logits), [2]);
  });
});

describe('buildLogitsProcessors', () => {
  it('applies the penalties in greedy mode but not the sampling filters', () => {
    const process = buildLogitsProcessors(resolveGenerationOptions({ repetitionPenalty: 2, noRepeatNgramSize: 1, temperature: 0.5, topK: 1 }));
    const logits = logitsOf(4, 2, 1, 3);
    process(logits, [1], 0);
    assert.deepEqual([...logits], [4, -Infinity, 1, 3]);
  });

  it('chains penalty, temperature, top-k and top-p when sampling', () => {
    const process = buildLogitsProcessors(resolveGenerationOptions({ doSample: true, repetitionPenalty: 2, temperature: 0.5, topK: 3, topP: 0.5 }));
    const logits = logitsOf(4, 2, 1, 3, 0);
    process(logits, [0], 0);
    // penalty: [2, 2, 1, 3, 0]; temperature: [4, 4, 2, 6, 0]; top-k 3 keeps 6, 4, 4;
    // top-p 0.5 keeps token 3 alone (softmax of [4, 4, 6] gives it 0.79).
    assert.deepEqual([...logits], [-Infinity, -Infinity, -Infinity, 6, -Infinity]);
  });

  it('holds eos back until minNewTokens', () => {
    const process = buildLogitsProcessors(resolveGenerationOptions({ minNewTokens: 2 }), [3]);
    const early = logitsOf(0, 0, 0, 9);
    process(early, [], 1);
    assert.equal(early[3], -Infinity);
    const late = logitsOf(0, 0, 0, 9);
    process(late, [], 2);
    assert.equal(late[3], 9);
  });
});
