import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StoppingCriteria } from '../../packages/core/src/generation/stopping-criteria.ts';

describe('StoppingCriteria', () => {
  it('stops at any eos id', () => {
    const criteria = new StoppingCriteria({ eosTokenIds: [50256, 7], maxNewTokens: 10, maxPositions: 1024 });
    assert.equal(criteria.check(50256, 1, 5), 'eos');
    assert.equal(criteria.check(7, 1, 5), 'eos');
    assert.equal(criteria.check(8, 1, 5), null);
    assert.equal(criteria.isEos(7), true);
  });

  it('stops once maxNewTokens tokens were generated', () => {
    const criteria = new StoppingCriteria({ eosTokenIds: [50256], maxNewTokens: 3, maxPositions: 1024 });
    assert.equal(criteria.check(1, 2, 5), null);
    assert.equal(criteria.check(1, 3, 5), 'max-new-tokens');
    assert.equal(criteria.check(50256, 3, 5), 'eos', 'eos wins: the reply ended on its own');
  });

  it('stops when the token fed back would leave no position for the next', () => {
    const criteria = new StoppingCriteria({ eosTokenIds: [50256], maxNewTokens: 100, maxPositions: 16 });
    assert.equal(criteria.check(1, 1, 14), null);
    assert.equal(criteria.check(1, 1, 15), 'context-full');
    assert.equal(criteria.check(50256, 1, 15), 'eos');
  });
});
