// The engine in Node on onnxruntime-web's WASM backend: session state, KV reuse, abort, limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../packages/core/src/engine/engine.ts';
import { requireTinyModel } from '../support/tiny-model.ts';
import { modelSizes } from '../../packages/core/src/model-maker/model-sizes.ts';
import { generateGpt2Weights } from '../../packages/core/src/model-maker/weights.ts';
import { greedyGenerate } from '../../packages/core/src/reference/gpt2-reference.ts';

let engine: Engine;
const greedy = { maxNewTokens: 12 };

before(async () => {
  engine = await Engine.load({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32' });
});
after(() => engine?.dispose());

test('greedy tokens through the engine equal the float64 reference model\'s', async () => {
  // models/tiny is made with seed 0 (scripts/ensure-models.js).
  const reference = { dims: modelSizes.tiny, weights: generateGpt2Weights(modelSizes.tiny, 0) };
  const prompt = [...engine.tokenizer.encodeText('Does money buy happiness?'), 50256];
  const expected = greedyGenerate(reference, prompt, 24, { eosTokenId: 50256 });
  assert.deepEqual(await engine.generateIds(prompt, { maxNewTokens: 24 }), expected);
  // And through a chat turn, which prefills and decodes with the session's KV cache.
  engine.openSession('reference');
  const turn = await engine.reply('reference', 'Does money buy happiness?', { maxNewTokens: 24 });
  assert.deepEqual(turn.replyIds, expected);
  engine.closeSession('reference');
});

describe('session state', () => {
  test('a KV-reusing chat gives exactly the tokens of re-encoding the whole history each turn', async () => {
    engine.openSession('kv');
    const messages = ['Hello there!', 'How was your day?', 'Tell me about cats.', 'And dogs?'];
    for (const message of messages) {
      const turn = await engine.reply('kv', message, greedy);
      const reencoded = await engine.generateIds(turn.contextIds, greedy);
      assert.deepEqual(turn.replyIds, reencoded, `turn "${message}"`);
    }
    engine.closeSession('kv');
  });

  test('turn N prefills only the new tokens', async () => {
    engine.openSession('flat');
    const first = await engine.reply('flat', 'one two three four five', greedy);
    const second = await engine.reply('flat', 'six seven', greedy);
    const userIds = engine.tokenizer.encodeText('six seven');
    // eos closing the previous reply (if it ended on a limit, its last token too) + user ids + eos
    assert.ok(second.stats.promptTokens <= userIds.length + 3, JSON.stringify(second.stats));
    assert.equal(second.stats.contextTokens, first.contextIds.length + first.replyIds.length + 1 + userIds.length + 1);
    engine.closeSession('flat');
  });

  test('sessions are separate, and reset starts afresh', async () => {
    engine.openSession('a');
    engine.openSession('b');
    await engine.reply('a', 'Only A hears this.', greedy);
    const b = await engine.reply('b', 'Hi', greedy);
    assert.equal(engine.history('a').length, 2);
    assert.equal(b.contextIds.length, engine.tokenizer.encodeText('Hi').length + 1);
    engine.resetSession('a');
    assert.deepEqual(engine.history('a'), []);
    const again = await engine.reply('a', 'Hi', greedy);
    assert.deepEqual(again.replyIds, b.replyIds, 'a reset session answers like a fresh one');
    engine.closeSession('a');
    engine.closeSession('b');
  });

  test('a restored history gives the same next reply as the live session', async () => {
    engine.openSession('live');
    await engine.reply('live', 'My name is Ada.', greedy);
    const history = engine.history('live');
    const live = await engine.reply('live', 'What is my name?', greedy);
    engine.openSession('restored', history);
    const restored = await engine.reply('restored', 'What is my name?', greedy);
    assert.deepEqual(restored.replyIds, live.replyIds);
    engine.closeSession('live');
    engine.closeSession('restored');
  });
});

describe('limits', () => {
  test('a long conversation drops its oldest turns instead of failing', async () => {
    engine.openSession('long');
    const message = 'word '.repeat(150);
    let last;
    for (let i = 0; i < 8; i++) last = await engine.reply('long', message, { maxNewTokens: 8 });
    assert.ok(last!.contextIds.length <= 1024 - 8);
    assert.match(last!.notice ?? '', /dropped/);
    assert.ok(engine.history('long').length < 16);
    engine.closeSession('long');
  });

  test('a message longer than the context is cut from the left, with a notice', async () => {
    engine.openSession('huge');
    const turn = await engine.reply('huge', 'x '.repeat(3000) + 'the end', { maxNewTokens: 4 });
    assert.match(turn.notice ?? '', /only its last/);
    assert.ok(turn.contextIds.length <= 1024 - 4);
    assert.equal(engine.history('huge')[0].content.length, 'x '.repeat(3000).length + 7, 'history keeps what was typed');
    engine.closeSession('huge');
  });

  test('"<|endoftext|>" typed by a user is text, not the end of the turn', async () => {
    const ids = engine.tokenizer.encodeText('a <|endoftext|> b');
    assert.ok(!ids.includes(50256), `ids ${ids}`);
    engine.openSession('eot');
    const turn = await engine.reply('eot', 'a <|endoftext|> b', greedy);
    assert.equal(turn.contextIds.filter((id) => id === 50256).length, 1, 'only the eos that closes the turn');
    assert.equal(engine.history('eot')[0].content, 'a <|endoftext|> b');
    engine.closeSession('eot');
  });

  test('empty and whitespace-only messages are refused without touching the session', async () => {
    engine.openSession('empty');
    for (const text of ['', '   ', '\n\t']) {
      await assert.rejects(engine.reply('empty', text), { name: 'EmptyMessageError' });
    }
    assert.deepEqual(engine.history('empty'), []);
    await assert.rejects(engine.reply('empty', 'hi', { topP: 0 }), (e: Error) => e instanceof RangeError && /topP/.test(e.message));
    assert.deepEqual(engine.history('empty'), []);
    engine.closeSession('empty');
  });
});

describe('abort', () => {
  test('mid-prefill: stops before decoding; the session stays usable', async () => {
    engine.openSession('abort-prefill');
    let checks = 0;
    await assert.rejects(
      engine.reply('abort-prefill', 'long '.repeat(500), greedy, { isAborted: () => ++checks > 2 }),
      { name: 'AbortError' },
    );
    const history = engine.history('abort-prefill');
    assert.equal(history.length, 2);
    assert.equal(history[1].interrupted, true);
    assert.equal(history[1].content, '');
    const next = await engine.reply('abort-prefill', 'hello', greedy);
    assert.ok(next.replyIds.length > 0);
    engine.closeSession('abort-prefill');
  });

  test('mid-decode: the partial reply is kept, marked interrupted', async () => {
    engine.openSession('abort-decode');
    const deltas: string[] = [];
    await assert.rejects(
      engine.reply('abort-decode', 'Tell me a story', { maxNewTokens: 50, minNewTokens: 50 }, {
        onToken: (d) => deltas.push(d),
        isAborted: () => deltas.length >= 5,
      }),
      { name: 'AbortError' },
    );
    const reply = engine.history('abort-decode')[1];
    assert.equal(reply.interrupted, true);
    assert.equal(reply.content, deltas.join(''));
    engine.closeSession('abort-decode');
  });
});

describe('sampling', () => {
  test('seeded sampling is reproducible, and another seed differs', async () => {
    const prompt = [...engine.tokenizer.encodeText('Once upon a time'), 50256];
    const options = { maxNewTokens: 20, minNewTokens: 20, doSample: true, temperature: 1.5, topK: 100, topP: 0.95, seed: 7 };
    const a = await engine.generateIds(prompt, options);
    const b = await engine.generateIds(prompt, options);
    const c = await engine.generateIds(prompt, { ...options, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
