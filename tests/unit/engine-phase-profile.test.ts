// The phase profile (engine/phase-profile.ts) on the real engine: onnxruntime-web on WASM in Node,
// the tiny generated model. What a user reading the profile relies on: every phase is there, no
// time is negative, the phases never add up to more than the wall time they sit in, and turning
// the profile on changes no token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createChat } from '../../packages/core/src/chat/create-chat-node.ts';
import { Engine } from '../../packages/core/src/engine/engine.ts';
import { seenByCaller, type Phase, type PhaseTimes } from '../../packages/core/src/engine/phase-profile.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

let profiled: Engine;
let plain: Engine;
const tokens = 6;
const greedy = { maxNewTokens: tokens, minNewTokens: tokens };

before(async () => {
  profiled = await Engine.load({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32', profile: true });
  plain = await Engine.load({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32' });
});
after(async () => {
  await profiled?.dispose();
  await plain?.dispose();
});

/** Every listed phase is present, every time is a finite non-negative number, and (alone) the phases fit in the total. */
function checkPhases(times: PhaseTimes | undefined, expected: readonly Phase[], what: string, { alone = true } = {}): PhaseTimes {
  assert.ok(times, `${what}: no phases`);
  assert.ok(Number.isFinite(times.totalMs) && times.totalMs > 0, `${what}: total ${times.totalMs}`);
  for (const phase of expected) assert.ok(times.phases[phase], `${what}: ${phase} is missing (has ${Object.keys(times.phases).join(', ')})`);
  let sum = 0;
  for (const [phase, time] of Object.entries(times.phases)) {
    assert.ok(Number.isFinite(time.ms) && time.ms >= 0, `${what}: ${phase} took ${time.ms} ms`);
    assert.ok(Number.isInteger(time.count) && time.count > 0, `${what}: ${phase} counted ${time.count} spans`);
    sum += time.ms;
  }
  if (alone) assert.ok(sum <= times.totalMs + 1e-6, `${what}: phases add up to ${sum} ms, more than the total ${times.totalMs} ms`);
  return times;
}

// On WASM the step appends the new KV positions to the cache in place (the generated graph allows it), so nothing is disposed.
const stepPhases: Phase[] = ['feedsBuild', 'feedsIn', 'run', 'outputsOut', 'logits', 'kvAppend'];

describe('phase profile', () => {
  test('the load records reading the files, building the tokenizer, starting the runtime, editing the graph and building the session', () => {
    const { enabled, load } = profiled.profile();
    assert.equal(enabled, true);
    // The tokenizer builds while the ONNX file is read, so the load's phases may overlap.
    const times = checkPhases(load, ['fileRead', 'tokenizerBuild', 'runtimeStart', 'graphEdit', 'sessionBuild'], 'load', { alone: false });
    assert.equal(times.phases.tokenizerBuild!.count, 1);
    assert.equal(times.phases.graphEdit!.count, 1, 'the graph is edited once: begun as its bytes came in, awaited by the session build');
    assert.equal(times.phases.fileRead!.count, 4, 'config, tokenizer, tokenizer config and the ONNX graph');
  });

  test("createChat's load phases run from the call to ready: the engine's start and the answer's way back are phases too", async () => {
    const chat = await createChat({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32', profile: true });
    try {
      const times = checkPhases(chat.loadPhases, ['workerStart', 'fileRead', 'tokenizerBuild', 'sessionBuild', 'messaging'], 'createChat load', { alone: false });
      const inside = times.totalMs - times.phases.workerStart!.ms - times.phases.messaging!.ms;
      assert.ok(inside >= times.phases.sessionBuild!.ms, `the engine's own load (${inside} ms) holds its session build (${times.phases.sessionBuild!.ms} ms)`);
    } finally {
      await chat.dispose();
    }
  });

  test('seen by the caller: the wait before the engine began and after it was ready, and an engine loaded before the request left as it is', () => {
    const engine: PhaseTimes = { totalMs: 1000, phases: { sessionBuild: { ms: 600, count: 1 } }, startEpochMs: 5_150 };
    assert.deepEqual(seenByCaller(engine, 5_000, 6_200), {
      totalMs: 1200,
      phases: { workerStart: { ms: 150, count: 1 }, sessionBuild: { ms: 600, count: 1 }, messaging: { ms: 50, count: 1 } },
      startEpochMs: 5_000,
    });
    assert.equal(seenByCaller(engine, 5_200, 6_300), engine, "another chat's engine: this request did not wait for its load");
  });

  test('a turn records every phase of every model step, and those up to the first token', async () => {
    profiled.openSession('profiled');
    const streamed: string[] = [];
    const { stats } = await profiled.reply('profiled', 'Hello, how are you?', greedy, { onToken: (delta) => streamed.push(delta) });
    profiled.closeSession('profiled');
    assert.equal(stats.newTokens, tokens);

    const turn = checkPhases(stats.phases, ['tokenize', ...stepPhases, 'sampling', 'detokenize', 'messaging'], 'turn');
    // One prefill run, then one run per token fed back (the last token is not).
    assert.equal(turn.phases.run!.count, tokens);
    for (const phase of ['feedsIn', 'outputsOut', 'logits'] as const) assert.equal(turn.phases[phase]!.count, tokens, phase);
    assert.equal(turn.phases.sampling!.count, tokens);
    assert.equal(turn.phases.messaging!.count, streamed.length, 'one message per streamed delta');
    assert.equal(turn.phases.batchCopies, undefined, 'a session alone takes the direct path');
    assert.ok(turn.totalMs >= stats.prefillMs, `the turn took ${turn.totalMs} ms, its prefill alone ${stats.prefillMs} ms`);

    const first = checkPhases(stats.firstTokenPhases, ['tokenize', ...stepPhases, 'sampling'], 'first token');
    assert.equal(first.phases.run!.count, 1, 'the prompt is one prefill run');
    // The window starts on the turn's clock and ends after the first token was sampled.
    assert.ok(first.totalMs >= stats.timeToFirstTokenMs, `up to the first token ${first.totalMs} ms, stats say ${stats.timeToFirstTokenMs} ms`);
    assert.ok(first.totalMs <= turn.totalMs);
  });

  test('sessions decoding together record the batch copies', async () => {
    const ids = ['a', 'b'];
    for (const id of ids) profiled.openSession(id);
    const turns = await Promise.all(ids.map((id, i) => profiled.reply(id, i ? 'Tell me about cats.' : 'Hi!', greedy)));
    for (const id of ids) profiled.closeSession(id);
    assert.ok(profiled.memory().batching.batchedSteps > 0, 'the two sessions were batched');
    // The profile is engine-wide: a turn's window sees the steps it shared with the other session,
    // and in full a step of the other's that was already running when it began, so only a turn
    // alone is sure to fit in its total.
    checkPhases(turns[1].stats.phases, [...stepPhases, 'batchCopies'], 'batched turn', { alone: false });
  });

  test('profiling changes no token, and an engine without it records nothing', async () => {
    const text = 'Does money buy happiness?';
    const replies = await Promise.all(
      [profiled, plain].map(async (engine) => {
        engine.openSession('same');
        const turn = await engine.reply('same', text, { maxNewTokens: 16 });
        engine.closeSession('same');
        return turn;
      }),
    );
    assert.deepEqual(replies[0].replyIds, replies[1].replyIds);
    assert.equal(replies[1].stats.phases, undefined);
    assert.equal(replies[1].stats.firstTokenPhases, undefined);
    assert.deepEqual(plain.profile(), { enabled: false, load: undefined });
  });

  test("onnxruntime's trace is listened to only while a profiled run is in flight", async () => {
    const { time, timeEnd } = console;
    profiled.openSession('console');
    await profiled.reply('console', 'Hello!', { maxNewTokens: 2 });
    profiled.closeSession('console');
    assert.equal(console.time, time, 'console.time is restored');
    assert.equal(console.timeEnd, timeEnd, 'console.timeEnd is restored');
  });
});
