import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eosTokenIdList, StoppingCriteria, throwIfAborted } from '../../packages/core/src/generation/stopping-criteria.js';

describe('StoppingCriteria', () => {
  it('stops at any eos id', () => {
    const criteria = new StoppingCriteria({ eosTokenIds: [50256, 7], maxNewTokens: 10 });
    assert.equal(criteria.check(50256, 1), 'eos');
    assert.equal(criteria.check(7, 1), 'eos');
    assert.equal(criteria.check(8, 1), null);
    assert.equal(criteria.isEos(7), true);
  });

  it('stops once maxNewTokens tokens were generated', () => {
    const criteria = new StoppingCriteria({ eosTokenIds: 50256, maxNewTokens: 3 });
    assert.equal(criteria.check(1, 2), null);
    assert.equal(criteria.check(1, 3), 'max-new-tokens');
    assert.equal(criteria.check(50256, 3), 'eos', 'eos wins: the reply ended on its own');
  });

  it('stops when the signal aborts', () => {
    const controller = new AbortController();
    const criteria = new StoppingCriteria({ maxNewTokens: 10, signal: controller.signal });
    assert.equal(criteria.aborted, false);
    assert.equal(criteria.check(1, 1), null);
    controller.abort();
    assert.equal(criteria.aborted, true);
    assert.equal(criteria.check(1, 2), 'aborted');
    assert.deepEqual(criteria.eosTokenIds, []);
  });
});

describe('eosTokenIdList', () => {
  it('accepts what generation_config.json writes', () => {
    assert.deepEqual(eosTokenIdList(50256), [50256]);
    assert.deepEqual(eosTokenIdList([1, 2]), [1, 2]);
    assert.deepEqual(eosTokenIdList(null), []);
    assert.deepEqual(eosTokenIdList(undefined), []);
    assert.throws(() => eosTokenIdList([1.5]), /^RangeError: eosTokenIds/);
  });
});

describe('throwIfAborted', () => {
  it('throws an AbortError once aborted, the given reason if any', () => {
    throwIfAborted(undefined);
    const controller = new AbortController();
    throwIfAborted(controller.signal);
    controller.abort();
    assert.throws(() => throwIfAborted(controller.signal), { name: 'AbortError' });
    const withReason = new AbortController();
    withReason.abort(new Error('user left'));
    assert.throws(() => throwIfAborted(withReason.signal), /user left/);
  });
});
