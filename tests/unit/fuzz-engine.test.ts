// Seeded fuzzing of the engine's public surface: thousands of hostile messages and generation
// options. Each gets a reply or a named error, and the session stays usable and consistent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../packages/core/src/engine/engine.ts';
import { requireTinyModel } from '../support/tiny-model.ts';
import { fuzzGenerationOptions, fuzzMessage, seededRandom } from '../support/fuzz-inputs.ts';

const iterations = 2000;
const allowedErrors = new Set(['EmptyMessageError', 'RangeError', 'TypeError']);
let engine: Engine;

before(async () => {
  engine = await Engine.load({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32' });
});
after(() => engine?.dispose());

test(`${iterations} fuzzed messages and options: a reply or a named error, and the session stays usable`, async () => {
  const random = seededRandom(20261124);
  engine.openSession('fuzz');
  const outcomes = { replies: 0, errors: {} as Record<string, number> };
  for (let i = 0; i < iterations; i++) {
    const message = fuzzMessage(random);
    const options = fuzzGenerationOptions(random);
    const before = engine.history('fuzz');
    try {
      const turn = await engine.reply('fuzz', message, options);
      outcomes.replies++;
      assert.equal(typeof turn.reply, 'string');
      assert.ok(turn.contextIds.length <= 1024, `context fits (${turn.contextIds.length})`);
      assert.ok(turn.replyIds.every((id) => Number.isInteger(id) && id >= 0 && id < 50257));
      const history = engine.history('fuzz');
      assert.deepEqual(history.at(-2), { role: 'user', content: message }, 'the message is kept exactly as typed');
      assert.equal(history.at(-1)!.role, 'assistant');
    } catch (error) {
      const name = (error as Error).name;
      assert.ok(allowedErrors.has(name), `input #${i} ${JSON.stringify(message.slice(0, 80))} ${JSON.stringify(options)} threw ${name}: ${(error as Error).message}`);
      assert.ok((error as Error).message.length > 10, 'the error says what is wrong');
      assert.deepEqual(engine.history('fuzz'), before, `input #${i}: a refused message leaves the session untouched`);
      outcomes.errors[name] = (outcomes.errors[name] ?? 0) + 1;
    }
    if (i % 97 === 0) engine.resetSession('fuzz'); // keep contexts short so the run stays fast
  }
  // Both paths were exercised, or the generator is broken.
  assert.ok(outcomes.replies > iterations / 4, JSON.stringify(outcomes));
  assert.ok((outcomes.errors.RangeError ?? 0) > 50 && (outcomes.errors.EmptyMessageError ?? 0) > 10, JSON.stringify(outcomes));
  const sane = await engine.reply('fuzz', 'Are you still fine?', { maxNewTokens: 3 });
  assert.ok(sane.replyIds.length > 0);
});
