import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topKFilter, topPFilter } from '../../packages/core/src/generation/logits-filters.ts';
import { kthLargest, nucleusThreshold } from '../../packages/core/src/generation/partial-selection.ts';

const logitsFromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (logits: Float32Array): number[] => [...logits.keys()].filter((i) => logits[i] > -Infinity);

/** A small deterministic generator for test data (not the one under test). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('topKFilter', () => {
  it('keeps exactly the k largest logits', () => {
    const logits = Float32Array.from([0.1, 5, -3, 2, 4, 1]);
    topKFilter(logits, 3);
    assert.deepEqual([...logits], [-Infinity, 5, -Infinity, 2, 4, -Infinity]);
  });

  it('breaks ties at the cut by lower token id', () => {
    const logits = Float32Array.from([1, 3, 1, 1, 2, 1]);
    topKFilter(logits, 4);
    assert.deepEqual(kept(logits), [0, 1, 2, 4]);
  });

  it('leaves everything for k = 0 and k >= vocabulary size', () => {
    for (const k of [0, 4, 10]) {
      const logits = Float32Array.from([1, 2, 3, 4]);
      topKFilter(logits, k);
      assert.deepEqual([...logits], [1, 2, 3, 4]);
    }
  });

  it('matches a sort on random logits with repeats and -Infinity', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(random() * 60);
      const logits = Float32Array.from({ length: size }, () => {
        const r = random();
        return r < 0.1 ? -Infinity : Math.round(r * 8) / 2; // coarse values → many ties
      });
      const k = 1 + Math.floor(random() * size);
      const expected = [...logits.keys()].sort((a, b) => logits[b] - logits[a] || a - b).slice(0, k);
      const finiteExpected = expected.filter((i) => logits[i] > -Infinity).sort((a, b) => a - b);
      topKFilter(logits, k);
      assert.deepEqual(kept(logits), finiteExpected);
    }
  });
});

describe('topPFilter', () => {
  it('keeps the smallest most likely set reaching p', () => {
    const probs = [0.5, 0.3, 0.15, 0.05];
    const cases: Array<[number, number[]]> = [[0.8, [0, 1]], [0.81, [0, 1, 2]], [0.5, [0]], [0.3, [0]], [0.96, [0, 1, 2, 3]], [1e-9, [0]]];
    for (const [p, expected] of cases) {
      const logits = logitsFromProbs(probs);
      topPFilter(logits, p);
      assert.deepEqual(kept(logits), expected, `p = ${p}`);
    }
  });

  it('counts p as reached when a decimal cumulative sum equals it (float32 rounding aside)', () => {
    // Every distribution of 4 probabilities in steps of 0.05, every p a cumulative sum of it.
    let checked = 0;
    for (let a = 19; a >= 1; a--) {
      for (let b = Math.min(a, 20 - a); b >= 1; b--) {
        for (let c = Math.min(b, 20 - a - b); c >= 0; c--) {
          const d = 20 - a - b - c;
          if (d > c) continue;
          const probs = [a, b, c, d].map((x) => x / 20).filter((x) => x > 0);
          for (let j = 1; j < probs.length; j++) {
            const p = Number(probs.slice(0, j).reduce((x, y) => x + y, 0).toFixed(2));
            const logits = logitsFromProbs(probs);
            topPFilter(logits, p);
            // ties with the j-th probability may stand in for it, so compare counts
            assert.equal(kept(logits).length, j, `probs ${probs} p ${p}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 50);
  });

  it('does not depend on where the likely tokens sit', () => {
    const logits = logitsFromProbs([0.05, 0.15, 0.3, 0.5]);
    topPFilter(logits, 0.8);
    assert.deepEqual(kept(logits), [2, 3]);
  });

  it('keeps the kept logits unchanged and p = 1 keeps all', () => {
    const logits = logitsFromProbs([0.5, 0.3, 0.15, 0.05]);
    const original = Float32Array.from(logits);
    topPFilter(logits, 0.81);
    assert.deepEqual([...logits.subarray(0, 3)], [...original.subarray(0, 3)]);
    const all = logitsFromProbs([0.5, 0.3, 0.15, 0.05]);
    topPFilter(all, 1);
    assert.deepEqual(kept(all), [0, 1, 2, 3]);
  });

  it('keeps only as many tied tokens as needed, lowest ids first', () => {
    const logits = logitsFromProbs([0.2, 0.2, 0.2, 0.2, 0.2]);
    topPFilter(logits, 0.5);
    assert.deepEqual(kept(logits), [0, 1, 2]);
  });

  it('matches a sort-based nucleus on random distributions', () => {
    const random = lcg(99);
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(random() * 200);
      const spread = trial % 2 === 0 ? 10 : 60; // the wider spread is peaked: most tokens fall below the prefilter bound
      const logits = Float32Array.from({ length: size }, () => (random() < 0.05 ? -Infinity : (random() - 0.5) * spread));
      if (!logits.some((v) => v > -Infinity)) logits[0] = 0;
      const p = 0.05 + random() * 0.9;
      const max = Math.max(...logits);
      const weights = [...logits].map((v) => Math.exp(v - max));
      const total = weights.reduce((a, b) => a + b, 0);
      const order = [...logits.keys()].sort((a, b) => weights[b] - weights[a] || a - b);
      let sum = 0;
      const expected: number[] = [];
      for (const i of order) {
        expected.push(i);
        sum += weights[i] / total;
        if (sum >= p) break;
      }
      topPFilter(logits, p);
      assert.deepEqual(kept(logits), expected.sort((a, b) => a - b), `trial ${trial} p ${p}`);
    }
  });

  it('really filters a 50257-token vocabulary', () => {
    const random = lcg(3);
    const logits = Float32Array.from({ length: 50257 }, () => random() * 12);
    topPFilter(logits, 0.9);
    const survivors = kept(logits).length;
    assert.ok(survivors > 1000 && survivors < 50257, `kept ${survivors}`);
  });
});

describe('partial selection', () => {
  it('kthLargest agrees with a sort', () => {
    const random = lcg(5);
    const values = Float64Array.from({ length: 1000 }, () => Math.floor(random() * 50));
    const sorted = [...values].sort((a, b) => b - a);
    for (const k of [1, 2, 10, 500, 999, 1000]) assert.equal(kthLargest(values, k), sorted[k - 1]);
    assert.throws(() => kthLargest(values, 0), RangeError);
    assert.equal(kthLargest([NaN, 1, NaN, 2], 2), 1);
    assert.equal(kthLargest([NaN, 1, NaN, 2], 3), -Infinity);
  });

  it('nucleusThreshold keeps one token when the mass is already reached', () => {
    assert.deepEqual(nucleusThreshold([0.1, 0.7, 0.2], 0, 1), { threshold: 0.7, keepAtThreshold: 1 });
    assert.deepEqual(nucleusThreshold([0.1, 0.7, 0.2], 0.75, 1), { threshold: 0.2, keepAtThreshold: 1 });
  });
});
