// createChat() in every engine: the engine worker, streaming, abort, the Cache API, both devices
// (WebGPU only where the browser has it: Chromium through SwiftShader here).
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, type EngineContext, type TestPage } from '../support/browser.ts';

browserSuite('createChat', {}, (env) => {
const { webgpuOnly } = env;

async function chatPage(context?: EngineContext): Promise<TestPage> {
  const page = await (context ?? (await env.newContext())).newPage(env.url('/tests/pages/chat/index.html'));
  await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle' });
  return page;
}

const tiny = '/models/tiny/';

// WebGPU runs on the CPU through SwiftShader here: correct but slow, so its tests are short.
for (const device of ['wasm'] as const) {
  describe(`on ${device}`, () => {
    env.test('streams a reply token by token, keeps history, and reuses the KV cache', async () => {
      const page = await chatPage();
      const result = await page.evaluate(
        async ({ model, device, maxNewTokens }) => {
          const chat = await window.tabwise.createChat({ model, device, dtype: 'fp32', generation: { maxNewTokens, minNewTokens: 2 } });
          const deltas: string[] = [];
          const first = await chat.send('Hello, how are you?', { onToken: (d: string) => deltas.push(d) });
          const firstStats = chat.stats;
          const streamed: string[] = [];
          for await (const delta of chat.stream('What is your name?')) streamed.push(delta);
          const threads = { isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, count: chat.threads, reason: chat.threadsReason };
          return { device: chat.device, threads, first, deltas, firstStats, second: streamed.join(''), secondStats: chat.stats, history: chat.history };
        },
        { model: tiny, device, maxNewTokens: 12 },
      );
      assert.equal(result.device, device);
      assert.equal(result.threads.isolated, true, 'the test server is cross-origin isolated');
      if (env.engine === 'firefox') {
        // A nested worker (a WASM thread) may never start in Firefox: docs/decisions/browsers.md.
        assert.equal(result.threads.count, 1);
        assert.match(result.threads.reason, /one thread in Firefox/);
      } else if (result.threads.cores > 1) {
        assert.equal(result.threads.count, Math.min(4, result.threads.cores), result.threads.reason);
      }
      assert.ok(result.first.length > 0, 'a non-empty reply');
      assert.equal(result.deltas.join(''), result.first, 'streamed deltas add up to the reply');
      assert.ok(result.deltas.length > 1, 'more than one delta was streamed');
      assert.deepEqual(
        result.history.map((m: { role: string }) => m.role),
        ['user', 'assistant', 'user', 'assistant'],
      );
      assert.equal(result.history[3].content, result.second);
      // Turn 2 runs only the new tokens: eos after the last reply token, the user text, eos.
      assert.ok(result.secondStats.promptTokens < result.secondStats.contextTokens / 2, JSON.stringify(result.secondStats));
    });
  });
}

env.test('WebGPU streams the same greedy tokens as WASM, turn after turn (Chromium only: WebGPU)', webgpuOnly, async () => {
  const page = await chatPage();
  const replies = await page.evaluate(async (model) => {
    const out: Record<string, { replies: string[]; deltas: string[]; device: string; promptTokens: number[] }> = {};
    for (const device of ['wasm', 'webgpu']) {
      const chat = await window.tabwise.createChat({ model, device, dtype: 'fp32', generation: { maxNewTokens: 4, minNewTokens: 4 } });
      const deltas: string[] = [];
      const replies = [await chat.send('The weather is nice today.', { onToken: (d: string) => deltas.push(d) })];
      const promptTokens = [chat.stats.promptTokens];
      replies.push(await chat.send('Do you like it?'));
      promptTokens.push(chat.stats.promptTokens);
      out[device] = { replies, deltas, device: chat.device, promptTokens };
      await chat.dispose();
    }
    return out;
  }, tiny);
  assert.equal(replies.webgpu.device, 'webgpu');
  assert.deepEqual(replies.webgpu.replies, replies.wasm.replies);
  assert.equal(replies.webgpu.deltas.join(''), replies.webgpu.replies[0]);
  assert.ok(replies.webgpu.deltas.length > 1);
  assert.deepEqual(replies.webgpu.promptTokens, replies.wasm.promptTokens, 'the KV cache is reused on the GPU too');
});

env.test('reports download progress, then loads from the Cache API in a new page', async () => {
  const context = await env.newContext();
  const first = await chatPage(context);
  const load = (page: TestPage) =>
    page.evaluate(async (model) => {
      const events: { file: string; loaded: number; total: number; fromCache?: boolean }[] = [];
      const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', onProgress: (e: never) => events.push(e) });
      await chat.dispose();
      return events;
    }, tiny);
  // A fresh context starts with an empty Cache API.
  const cold = await load(first);
  const onnx = cold.filter((e) => e.file === 'onnx/model.onnx');
  assert.ok(onnx.length >= 1 && !onnx.some((e) => e.fromCache), 'the ONNX file came over the network');
  assert.equal(onnx.at(-1)!.loaded, onnx.at(-1)!.total);
  assert.ok(onnx.at(-1)!.total > 1_000_000);

  const second = await chatPage(context);
  const warm = await load(second);
  // In WebKitGTK too: createChat opens the Cache API from the page first, without which the worker's
  // writes were lost there (docs/decisions/browsers.md).
  assert.ok(warm.length > 0 && warm.every((e) => e.fromCache), 'every file came from the Cache API');
});

env.test('abort during decoding rejects with AbortError and keeps the partial reply', async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 400, minNewTokens: 400 } });
    const controller = new AbortController();
    let tokens = 0;
    const error = await chat
      .send('Tell me a long story.', {
        signal: controller.signal,
        onToken: () => {
          if (++tokens === 3) controller.abort();
        },
      })
      .then(() => null, (e: Error) => ({ name: e.name, message: e.message }));
    const history = chat.history;
    const next = await chat.send('Hi again', { generation: { maxNewTokens: 4, minNewTokens: 0 } });
    return { error, history, next, tokens };
  }, tiny);
  assert.equal(result.error?.name, 'AbortError');
  assert.equal(result.history.length, 2);
  assert.equal(result.history[1].interrupted, true);
  assert.ok(result.tokens < 400, `stopped early (${result.tokens} tokens)`);
  assert.equal(typeof result.next, 'string', 'the session stays usable');
});

env.test('a terminated worker rejects the pending send (no hang), keeps the partial turn; the next send restores the session', async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 8 } });
    await chat.send('My name is Ada.');
    const before = chat.history;
    // Kill the worker mid-reply: once its first token has arrived, not after a guessed delay.
    let firstToken!: () => void;
    const streaming = new Promise<void>((resolve) => (firstToken = resolve));
    const deltas: string[] = [];
    const pending = chat.send('Tell me a long story.', {
      generation: { maxNewTokens: 400, minNewTokens: 400 },
      onToken: (delta: string) => {
        deltas.push(delta);
        firstToken();
      },
    });
    await streaming;
    chat.worker.terminate();
    // The speed of this is a benchmark matter; here it only must not hang (Comlink alone never settles).
    const hung = new Promise((resolve) => setTimeout(() => resolve({ name: 'no rejection within 20 s of terminate()' }), 20_000));
    const error = await Promise.race([pending.then(() => ({ name: 'resolved' }), (e: Error) => ({ name: e.name, message: e.message })), hung]);
    const interrupted = chat.history;
    const streamed = deltas.join('');
    const reply = await chat.send('What is my name?');
    return { error, before, interrupted, streamed, after: chat.history, reply, stats: chat.stats };
  }, tiny);
  assert.equal((result.error as { name: string }).name, 'WorkerCrashedError');
  // The interrupted turn stays, as an abort keeps it: the message and what had streamed.
  assert.deepEqual(result.interrupted.slice(2), [
    { role: 'user', content: 'Tell me a long story.' },
    { role: 'assistant', content: result.streamed, interrupted: true },
  ]);
  assert.ok(result.streamed.length > 0);
  assert.equal(result.after.length, 6);
  assert.deepEqual(result.after.slice(0, 4), result.interrupted, 'earlier turns, the interrupted one included, survived the restart');
  assert.deepEqual(result.after.slice(0, 2), result.before);
  // The restored session fed the earlier turns to the model: the context is more than this message.
  assert.ok(result.stats.contextTokens > result.stats.promptTokens - 1 && result.stats.contextTokens > 10, JSON.stringify(result.stats));
});

env.test('bad input: named errors, and the session stays usable', async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const names: Record<string, string> = {};
    const capture = async (key: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        names[key] = 'no error';
      } catch (e) {
        names[key] = `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    await capture('device', () => window.tabwise.createChat({ model, device: 'cuda' }));
    await capture('dtype', () => window.tabwise.createChat({ model, dtype: 'int3' }));
    await capture('topP', () => window.tabwise.createChat({ model, generation: { topP: 2 } }));
    await capture('missing model', () => window.tabwise.createChat({ model: '/models/does-not-exist/', device: 'wasm' }));
    await capture('unsafe url', () => window.tabwise.createChat({ model: 'http://example.com/model/' }));
    const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 4 } });
    await capture('empty', () => chat.send('   '));
    await capture('temperature', () => chat.send('hi', { generation: { temperature: -1 } }));
    await capture('maxNewTokens', () => chat.send('hi', { generation: { maxNewTokens: 0 } }));
    const reply = await chat.send('Still there?');
    return { names, reply, history: chat.history.length };
  }, tiny);
  assert.match(result.names.device, /^RangeError: device/);
  assert.match(result.names.dtype, /^RangeError: dtype/);
  assert.match(result.names.topP, /^RangeError: topP/);
  assert.match(result.names['missing model'], /^ModelLoadError: .*does-not-exist\/config\.json/s);
  assert.match(result.names['unsafe url'], /^UnsafeModelUrlError/);
  assert.match(result.names.empty, /^EmptyMessageError/);
  assert.match(result.names.temperature, /^RangeError: temperature/);
  assert.match(result.names.maxNewTokens, /^RangeError: maxNewTokens/);
  assert.equal(typeof result.reply, 'string');
  assert.equal(result.history, 2, 'only the good message reached the history');
});

env.test('two chats in one tab share one worker and keep separate histories', async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const options = { model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 4 } };
    const [a, b] = await Promise.all([window.tabwise.createChat(options), window.tabwise.createChat(options)]);
    await a.send('I am chat A.');
    await b.send('I am chat B.');
    await b.send('Second message for B.');
    const sameWorker = a.worker === b.worker;
    await a.dispose();
    const bStillWorks = await b.send('B after A left.');
    await b.dispose();
    return { sameWorker, a: a.history.length, b: b.history.length, bStillWorks: typeof bStillWorks };
  }, tiny);
  assert.equal(result.sameWorker, true);
  assert.equal(result.a, 2);
  assert.equal(result.b, 6);
  assert.equal(result.bStillWorks, 'string');
});

env.test('a lost WebGPU device moves the chat to WASM without losing the conversation (Chromium only: WebGPU)', webgpuOnly, async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const chat = await window.tabwise.createChat({ model, device: 'webgpu', dtype: 'fp32', generation: { maxNewTokens: 2 } });
    await chat.send('Hello on the GPU.');
    const before = chat.device;
    const destroyed = await window.tabwise.TabwiseUnstable.simulateGpuDeviceLoss(chat);
    const reply = await chat.send('Still there?');
    return { before, destroyed, after: chat.device, reason: chat.deviceReason, reply, history: chat.history.length, stats: chat.stats };
  }, tiny);
  assert.equal(result.before, 'webgpu');
  assert.equal(result.destroyed, true);
  assert.equal(result.after, 'wasm');
  assert.match(result.reason, /WebGPU device was lost.*continuing on WASM/);
  assert.equal(typeof result.reply, 'string');
  assert.equal(result.history, 4);
  assert.ok(result.stats.promptTokens === result.stats.contextTokens, 'the cache was rebuilt from the history on WASM');
});

env.test("device 'auto' falls back to WASM and says why: a software WebGPU adapter (Chromium), no navigator.gpu (Firefox, WebKit)", async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const chat = await window.tabwise.createChat({ model, device: 'auto', dtype: 'fp32', generation: { maxNewTokens: 2 } });
    return { device: chat.device, reason: chat.deviceReason, reply: await chat.send('Hi'), hasGpu: 'gpu' in navigator };
  }, tiny);
  assert.equal(result.device, 'wasm');
  if (env.engine === 'chromium') {
    assert.match(result.reason, /fell back to WASM: the only WebGPU adapter is a software fallback/);
  } else {
    assert.equal(result.hasGpu, false);
    assert.match(result.reason, /fell back to WASM: WebGPU is not available here \(no navigator\.gpu\)/);
  }
  assert.equal(typeof result.reply, 'string');
});

env.test('sends on one chat run one at a time, in order; reset() stops a running reply first', async () => {
  const page = await chatPage();
  const result = await page.evaluate(async (model) => {
    const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 3 } });
    const order: string[] = [];
    await Promise.all(['first', 'second', 'third'].map((text) => chat.send(text).then(() => order.push(text))));
    const roles = chat.history.map((m: { role: string; content: string }) => `${m.role}:${m.role === 'user' ? m.content : ''}`);
    // reset() while the reply is streaming: wait for its first token rather than a guessed delay.
    let firstToken!: () => void;
    const streaming = new Promise<void>((resolve) => (firstToken = resolve));
    const long = chat.send('A long one.', { generation: { maxNewTokens: 400, minNewTokens: 400 }, onToken: () => firstToken() });
    await streaming;
    await chat.reset();
    const stopped = await long.then(() => 'resolved', (e: Error) => e.name);
    return { order, roles, stopped, afterReset: chat.history.length, tokens: chat.stats };
  }, tiny);
  assert.deepEqual(result.order, ['first', 'second', 'third']);
  assert.deepEqual(result.roles, ['user:first', 'assistant:', 'user:second', 'assistant:', 'user:third', 'assistant:']);
  assert.equal(result.stopped, 'AbortError');
  assert.equal(result.afterReset, 0, 'reset leaves an empty session, even with a reply in flight');
});
});
