// Continuous batching in the browser: two chats of one tab share its engine; replying at once, they
// decode as one batch and still give each its greedy reply from replying alone. On WASM in every
// engine (Firefox batches the whole presents, the others the appended new positions), and on WebGPU
// (Chromium through SwiftShader), where the batched pasts are built and the presents split with GPU
// buffer copies.
import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';

browserSuite('engine batching', {}, (env) => {
  for (const device of ['wasm', 'webgpu'] as const) {
    const where = device === 'webgpu' ? env.webgpuOnly : {};
    env.test(`two chats decoding at once on ${device === 'wasm' ? 'WASM' : 'WebGPU (Chromium only)'} ride one batched step and reply as each does alone`, where, async () => {
      const page = await env.newPage('/tests/pages/chat/index.html');
      await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle' });
      const result = await page.evaluate(async ({ model, device }) => {
        const { createChat, TabwiseUnstable } = window.tabwise;
        // SwiftShader compiles shaders for every new shape: few tokens, two prompts of different lengths.
        const options = { model, device, dtype: 'fp32', generation: { maxNewTokens: 4, minNewTokens: 4 } };
        const [a, b] = await Promise.all([createChat(options), createChat(options)]);
        const messages = ['The weather is nice today, is it not?', 'Hi'];
        const alone = [await a.send(messages[0]), await b.send(messages[1])];
        await Promise.all([a.reset(), b.reset()]);
        const before = (await TabwiseUnstable.engineMemory(a)).batching;
        const together = await Promise.all([a.send(messages[0]), b.send(messages[1])]);
        const after = (await TabwiseUnstable.engineMemory(a)).batching;
        const memory = await TabwiseUnstable.engineMemory(a);
        const devices = [a.device, b.device];
        await Promise.all([a.dispose(), b.dispose()]);
        return { alone, together, before, after, devices, memory };
      }, { model: '/models/tiny/', device });
      assert.deepEqual(result.devices, [device, device]);
      assert.deepEqual(result.together, result.alone);
      assert.equal(result.before.batchedSteps, 0, 'alone, each chat took the direct path');
      // Two batched steps at least: the second stacks the caches the first split out on the GPU.
      assert.ok(result.after.batchedSteps >= 2 && result.after.largestBatch === 2, JSON.stringify(result.after));
      // Both sessions are still open: each holds its own cache, 2 tensors a layer, nothing else.
      assert.equal(result.memory.liveTensors, 2 * 2 * 2, JSON.stringify(result.memory));
    });
  }
});
