import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  defaultGenerationOptions,
  isSampling,
  resolveGenerationOptions,
  type GenerationOptions,
} from '../../packages/core/src/generation/generation-options.ts';

/** Asserts `resolve(options)` throws `type` whose message starts with the option's name. */
function assertRejects(options: Record<string, unknown>, type: typeof TypeError | typeof RangeError, name: string): void {
  assert.throws(
    () => resolveGenerationOptions(options as GenerationOptions),
    (error: unknown) => {
      assert.ok(error instanceof type, `${inspect(options)}: expected ${type.name}, got ${String(error)}`);
      assert.ok((error as Error).message.startsWith(name), `message "${(error as Error).message}" should name ${name}`);
      return true;
    },
  );
}

describe('resolveGenerationOptions', () => {
  it('fills in documented defaults', () => {
    assert.deepEqual(resolveGenerationOptions(), {
      maxNewTokens: 64,
      minNewTokens: 0,
      doSample: false,
      temperature: 1,
      topK: 0,
      topP: 1,
      repetitionPenalty: 1,
      noRepeatNgramSize: 0,
      seed: undefined,
    });
    assert.deepEqual(resolveGenerationOptions({}), defaultGenerationOptions);
  });

  it('lets options win over defaults, and skips undefined values', () => {
    const resolved = resolveGenerationOptions(
      { topP: 0.9, temperature: undefined, seed: 7 },
      { topP: 0.5, temperature: 0.7, maxNewTokens: 20 },
    );
    assert.equal(resolved.topP, 0.9);
    assert.equal(resolved.temperature, 0.7);
    assert.equal(resolved.maxNewTokens, 20);
    assert.equal(resolved.seed, 7);
  });

  it('accepts the edges of each range', () => {
    const edges: GenerationOptions = {
      maxNewTokens: 1024, minNewTokens: 1024, temperature: 0, topK: 50257, topP: 1e-9,
      repetitionPenalty: 1e-3, noRepeatNgramSize: 1, seed: -(2 ** 53 - 1), doSample: true,
    };
    assert.deepEqual(resolveGenerationOptions(edges), { ...edges });
  });

  it('rejects out-of-range values with a RangeError naming the option', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ topP: 2 }, 'topP'], [{ topP: 0 }, 'topP'], [{ topP: -0.1 }, 'topP'],
      [{ temperature: -1 }, 'temperature'],
      [{ maxNewTokens: 0 }, 'maxNewTokens'], [{ maxNewTokens: 1.5 }, 'maxNewTokens'], [{ maxNewTokens: 1025 }, 'maxNewTokens'],
      [{ minNewTokens: -1 }, 'minNewTokens'], [{ minNewTokens: 65 }, 'minNewTokens'],
      [{ topK: -1 }, 'topK'], [{ topK: 2.5 }, 'topK'],
      [{ repetitionPenalty: 0 }, 'repetitionPenalty'], [{ repetitionPenalty: -1.2 }, 'repetitionPenalty'],
      [{ noRepeatNgramSize: -1 }, 'noRepeatNgramSize'], [{ noRepeatNgramSize: 0.5 }, 'noRepeatNgramSize'],
      [{ seed: 1.5 }, 'seed'], [{ seed: 2 ** 60 }, 'seed'],
      [{ temperature: NaN }, 'temperature'], [{ topP: NaN }, 'topP'], [{ topK: Infinity }, 'topK'],
      [{ repetitionPenalty: Infinity }, 'repetitionPenalty'], [{ seed: NaN }, 'seed'], [{ maxNewTokens: -Infinity }, 'maxNewTokens'],
      [{ top_p: 0.9 }, 'top_p'], [{ banana: 1 }, 'banana'],
    ];
    for (const [options, name] of cases) assertRejects(options, RangeError, name);
  });

  it('rejects wrong types with a TypeError naming the option', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ topP: '0.9' }, 'topP'], [{ temperature: null }, 'temperature'], [{ maxNewTokens: 10n }, 'maxNewTokens'],
      [{ doSample: 1 }, 'doSample'], [{ doSample: 'yes' }, 'doSample'], [{ seed: '42' }, 'seed'], [{ topK: [5] }, 'topK'],
    ];
    for (const [options, name] of cases) assertRejects(options, TypeError, name);
  });

  it('suggests the camelCase name for a snake_case key', () => {
    assert.throws(() => resolveGenerationOptions({ top_p: 0.5 } as GenerationOptions), /did you mean topP\?/);
  });

  it('validates the defaults argument too', () => {
    assert.throws(() => resolveGenerationOptions({}, { topP: 3 }), /^RangeError: topP/);
    assert.throws(() => resolveGenerationOptions(null as unknown as GenerationOptions), TypeError);
  });
});

describe('isSampling', () => {
  it('is on only with doSample and a positive temperature', () => {
    assert.equal(isSampling(resolveGenerationOptions({})), false);
    assert.equal(isSampling(resolveGenerationOptions({ doSample: true })), true);
    assert.equal(isSampling(resolveGenerationOptions({ doSample: true, temperature: 0 })), false);
    assert.equal(isSampling(resolveGenerationOptions({ doSample: false, temperature: 0.7 })), false);
  });
});
