// 500 generated tokens must not grow memory beyond the KV cache itself: every replaced tensor
// (past, present) is disposed, on WASM in every engine and on WebGPU (Chromium), where they are
// GPU buffers. The engine's own memory probe (TabwiseUnstable.engineMemory) works everywhere.

import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';

browserSuite('memory', {}, (env) => {
  // tiny: 2 layers × (key + value) × 4 heads × 8 dims × 4 bytes = 256 B per position per tensor pair.
  const bytesPerPosition = 2 * 2 * 4 * 8 * 4;

  // WebGPU runs through SwiftShader on the CPU here (seconds per token), so it gets fewer tokens.
  for (const [device, tokens] of [['wasm', 500], ['webgpu', 6]] as const) {
    const where = device === 'webgpu' ? env.webgpuOnly : {};
    const name = `${tokens} generated tokens on ${device}: the engine holds exactly one KV cache, nothing more${device === 'webgpu' ? ' (Chromium only: WebGPU)' : ''}`;
    env.test(name, where, async () => {
      const page = await env.newPage('/tests/pages/chat/index.html');
      await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle' });
      const result = await page.evaluate(
        async ({ device, tokens }) => {
          const chat = await window.tabwise.createChat({ model: '/models/tiny/', device, dtype: 'fp32' });
          const before = await window.tabwise.TabwiseUnstable.engineMemory(chat);
          await chat.send('Tell me everything.', { generation: { maxNewTokens: tokens, minNewTokens: tokens } });
          const after = await window.tabwise.TabwiseUnstable.engineMemory(chat);
          const context = chat.stats.contextTokens + chat.stats.newTokens;
          await chat.reset();
          await chat.send('Again.', { generation: { maxNewTokens: 2 } });
          const afterReset = await window.tabwise.TabwiseUnstable.engineMemory(chat);
          return { before, after, afterReset, context, resetContext: chat.stats.contextTokens + chat.stats.newTokens };
        },
        { device, tokens },
      );
      // One key and one value tensor per layer, before and after: replaced ones were disposed.
      assert.equal(result.before.liveTensors, 4);
      assert.equal(result.after.liveTensors, 4);
      assert.equal(result.afterReset.liveTensors, 4);
      // The cache covers the context minus the last token, which was sampled but never fed.
      assert.equal(result.after.liveTensorBytes, (result.context - 1) * bytesPerPosition);
      assert.equal(result.afterReset.liveTensorBytes, (result.resetContext - 1) * bytesPerPosition, 'reset freed the old cache');
    });
  }
});
