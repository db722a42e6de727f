// Continuous batching in the engine (Node, WASM, the tiny generated model): sessions replying at
// the same time decode as one batched model step, yet each gets exactly its tokens from running
// alone; prefill of a newcomer is interleaved chunk by chunk; aborts and fairness per session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, type TurnHooks } from '../../packages/core/src/engine/engine.ts';
import type { ChatMessage } from '../../packages/core/src/engine/conversation.ts';
import type { GenerationOptions } from '../../packages/core/src/generation/generation-options.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

let engine: Engine;

before(async () => {
  engine = await Engine.load({ model: requireTinyModel(), device: 'wasm', dtype: 'fp32' });
});
after(() => engine?.dispose());

/** Histories of different lengths, so the batched pasts differ in length and need padding. */
const histories: ChatMessage[][] = [
  [],
  [
    { role: 'user', content: 'Hello there, how are you doing today?' },
    { role: 'assistant', content: 'I am fine, thanks.' },
  ],
  [
    { role: 'user', content: 'one two three four five six seven eight nine ten eleven twelve' },
    { role: 'assistant', content: 'thirteen fourteen' },
    { role: 'user', content: 'What comes next after that, do you think?' },
    { role: 'assistant', content: 'fifteen, then sixteen, seventeen and so on up to twenty.' },
  ],
  [{ role: 'user', content: 'Tell me about the weather.' }, { role: 'assistant', content: 'It rains.' }],
];
const messages = ['Hi', 'What do you like to eat?', 'And after twenty?', 'Is it cold in Paris in the winter?'];
// Different lengths, so sessions leave the batch at different steps.
const replyLengths = [8, 20, 14, 26];

interface Turn {
  id: string;
  history: ChatMessage[];
  message: string;
  options: GenerationOptions;
  hooks?: TurnHooks;
}

async function replyIds({ id, history, message, options, hooks }: Turn): Promise<number[]> {
  engine.openSession(id, history);
  try {
    return (await engine.reply(id, message, options, hooks)).replyIds;
  } finally {
    engine.closeSession(id);
  }
}

function turns(prefix: string): Turn[] {
  return histories.map((history, i) => ({
    id: `${prefix}-${i}`,
    history,
    message: messages[i],
    options: { maxNewTokens: replyLengths[i], minNewTokens: replyLengths[i] },
  }));
}

/** Each turn run on its own, one after another: the reference the batched runs must equal. */
async function alone(prefix: string): Promise<number[][]> {
  const out: number[][] = [];
  for (const turn of turns(prefix)) out.push(await replyIds(turn));
  return out;
}

function batchingDelta<T>(body: () => Promise<T>): Promise<{ result: T; batchedSteps: number; largestBatch: number }> {
  const before = engine.memory().batching;
  return body().then((result) => {
    const after = engine.memory().batching;
    return { result, batchedSteps: after.batchedSteps - before.batchedSteps, largestBatch: after.largestBatch };
  });
}

test('4 concurrent sessions with histories of different lengths decode in batches and get exactly their tokens from running alone', async () => {
  const reference = await alone('alone');
  const solo = await batchingDelta(() => alone('alone-again'));
  assert.equal(solo.batchedSteps, 0, 'a session replying alone takes the direct path');

  const together = await batchingDelta(() => Promise.all(turns('together').map(replyIds)));
  assert.deepEqual(together.result, reference);
  assert.ok(together.batchedSteps >= replyLengths[0], `batched steps: ${together.batchedSteps}`);
  assert.equal(together.largestBatch, 4, 'all four sessions rode one step');
  assert.deepEqual(engine.memory(), { ...engine.memory(), liveTensors: 0, liveTensorBytes: 0, sessions: 0 }, 'no cache tensor outlives its session');
});

test('fairness: a 10-token reply started later finishes while a 240-token reply keeps running, both advancing every step', async () => {
  const events: string[] = [];
  let longStarted!: () => void;
  const longHasStarted = new Promise<void>((resolve) => (longStarted = resolve));
  const long = replyIds({
    id: 'long',
    history: [],
    message: 'Tell me everything you know.',
    options: { maxNewTokens: 240, minNewTokens: 240 },
    hooks: { onToken: () => (events.push('long'), longStarted()) },
  }).then(() => events.push('long done'));
  await longHasStarted;
  const short = replyIds({
    id: 'short',
    history: [],
    message: 'Hi',
    options: { maxNewTokens: 10, minNewTokens: 10 },
    hooks: { onToken: () => events.push('short') },
  }).then(() => events.push('short done'));
  await Promise.all([long, short]);

  assert.ok(events.indexOf('short done') < events.indexOf('long done'), 'the short reply finished first');
  const shortSpan = events.slice(events.indexOf('short'), events.lastIndexOf('short') + 1);
  const longTokensMeanwhile = shortSpan.filter((event) => event === 'long').length;
  assert.ok(longTokensMeanwhile >= 9, `the long reply advanced at every step of the short one: ${longTokensMeanwhile} tokens`);
});

test("a newcomer's long prompt is prefilled chunk by chunk while the others keep decoding", async () => {
  const events: string[] = [];
  let bothDecoding!: () => void;
  const othersDecoding = new Promise<void>((resolve) => (bothDecoding = resolve));
  const counts = { a: 0, b: 0 };
  const decoder = (name: 'a' | 'b') =>
    replyIds({
      id: `decoding-${name}`,
      history: [],
      message: name === 'a' ? 'Good morning!' : 'What is your favourite colour?',
      options: { maxNewTokens: 60, minNewTokens: 60 },
      hooks: {
        onToken: () => {
          events.push(name);
          if (++counts[name] >= 2 && counts.a >= 2 && counts.b >= 2) bothDecoding();
        },
      },
    });
  const others = [decoder('a'), decoder('b')];
  await othersDecoding;
  let newcomerTokens = 0;
  const newcomer = replyIds({
    id: 'newcomer',
    history: [],
    message: 'long '.repeat(600),
    options: { maxNewTokens: 4, minNewTokens: 4 },
    // Polled before every model step of the newcomer, so each prefill chunk shows in the order.
    hooks: { isAborted: () => (newcomerTokens === 0 && events.push('newcomer step'), false), onToken: () => newcomerTokens++ },
  });
  await Promise.all([...others, newcomer]);

  const prefillSteps = events.flatMap((event, i) => (event === 'newcomer step' ? [i] : []));
  assert.ok(prefillSteps.length >= 5, `a prompt of 600 tokens takes several 128-token chunks: ${prefillSteps.length}`);
  for (let k = 1; k < prefillSteps.length; k++) {
    const between = events.slice(prefillSteps[k - 1] + 1, prefillSteps[k]);
    assert.ok(between.includes('a') && between.includes('b'), `both others decoded between chunks ${k} and ${k + 1}: ${between.join(',')}`);
  }
});

test("aborting one session mid-batch leaves the others' tokens unchanged and keeps its partial reply", async () => {
  const reference = await alone('reference');
  let aborterTokens = 0;
  const [aborted, ...rest] = turns('abort');
  aborted.hooks = { onToken: () => aborterTokens++, isAborted: () => aborterTokens >= 5 };
  engine.openSession(aborted.id, aborted.history);
  const abortedReply = engine.reply(aborted.id, aborted.message, { maxNewTokens: 40, minNewTokens: 40 }, aborted.hooks);
  const others = await batchingDelta(() => Promise.all(rest.map(replyIds)));
  await assert.rejects(abortedReply, { name: 'AbortError' });

  assert.deepEqual(others.result, reference.slice(1));
  assert.ok(others.largestBatch >= 4, 'the aborted session was in the batch');
  const partial = engine.history(aborted.id).at(-1)!;
  assert.equal(partial.interrupted, true);
  assert.equal(partial.content, engine.tokenizer.decode(reference[0].slice(0, 5)), 'the partial reply is the first 5 tokens it gets alone');
  engine.closeSession(aborted.id);
});
