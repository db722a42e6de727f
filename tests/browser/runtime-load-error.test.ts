// The runtime's own files failing is told apart from a bad model: a missing runtime .wasm, or one
// of the files the engine worker loads from beside it (the WASM build's API, onnx-proto.js,
// tokenizers.js), here answered by an HTML fallback page as a misconfigured dev server does, gives
// RuntimeLoadError naming the URL and what came back, and the cached model stays
// in the Cache API.
// A workerUrl that 404s or serves HTML gives WorkerLoadError with the URL, never a hang.

import assert from 'node:assert/strict';
import { browserSuite, type ServerOptions } from '../support/browser.ts';

let brokenFile: string | undefined;
const serverOptions: ServerOptions = {
  intercept: (req, res) => {
    if (req.url === brokenFile) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
      return true;
    }
    if (req.url === '/tests/pages/chat/html-instead-of-js.js') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
      return true;
    }
    return false;
  },
};
// In every engine: how a failed worker or WASM fetch surfaces (error events, MIME checks) is the browser's.
browserSuite('runtime-load-error', { server: serverOptions }, (env) => {
  for (const [what, file, options] of [
    ['runtime .wasm', '/dist/ort-wasm-simd-threaded.wasm', {}],
    ["runtime build's JavaScript", '/dist/ort.wasm.min.mjs', {}],
    ['tokenizers.js', '/dist/tokenizers.js', {}],
    // Only a load that fetches each step's new positions edits the graph with onnx-proto.
    ['onnx-proto.js', '/dist/onnx-proto.js', env.only(['chromium', 'webkit'], 'Firefox keeps the whole presents, so its WASM loads never need onnx-proto')],
  ] as const) {
    env.test(`a missing ${what} is a RuntimeLoadError, and the cached model is kept`, { timeout: 120_000, ...options }, async () => {
      const page = await env.newPage('/tests/pages/chat/');
      await page.waitForSelector('body[data-ready]');
      brokenFile = file;
      try {
        const failure = await page.evaluate(async () => {
          try {
            await window.tabwise.createChat({ model: '/models/tiny/', device: 'wasm', dtype: 'fp32' });
            return undefined;
          } catch (error) {
            return { name: (error as Error).name, message: (error as Error).message };
          }
        });
        assert.equal(failure?.name, 'RuntimeLoadError', `expected RuntimeLoadError, got ${JSON.stringify(failure)}`);
        assert.ok(failure.message.includes(file), `the message names ${file}: ${failure.message}`);
        assert.match(failure.message, /HTTP 200, text\/html/);
        assert.match(failure.message, /Fix:/);
        const cached = await page.evaluate(async () => {
          const cache = await caches.open('tabwise-models-v1');
          return (await cache.keys()).map((request) => new URL(request.url).pathname);
        });
        assert.ok(cached.includes('/models/tiny/onnx/model.onnx'), `the model is still cached: ${cached.join(', ')}`);
      } finally {
        brokenFile = undefined;
      }
      // With the runtime back, the same model loads from the cache.
      const fromCache = await page.evaluate(async () => {
        const files: boolean[] = [];
        const chat = await window.tabwise.createChat({
          model: '/models/tiny/',
          device: 'wasm',
          dtype: 'fp32',
          onProgress: (progress: { file: string; fromCache?: boolean }) => progress.file.endsWith('.onnx') && files.push(Boolean(progress.fromCache)),
        });
        await chat.dispose();
        return files;
      });
      assert.ok(fromCache.length > 0 && fromCache.every(Boolean), `model.onnx came from the Cache API: ${fromCache}`);
    });
  }

  for (const [what, path] of [
    ['404s', '/tests/pages/chat/no-such-worker.js'],
    ['serves HTML', '/tests/pages/chat/html-instead-of-js.js'],
  ] as const) {
    env.test(`a workerUrl that ${what} is a WorkerLoadError naming the URL`, { timeout: 60_000 }, async () => {
      const page = await env.newPage('/tests/pages/chat/');
      await page.waitForSelector('body[data-ready]');
      const failure = await page.evaluate(async (path) => {
        // A hang guard, not a timing: a worker that failed to load must never leave createChat() pending.
        const deadline = new Promise((resolve) => setTimeout(() => resolve({ name: 'none', message: 'createChat() had not settled after 20 s' }), 20_000));
        const attempt = window.tabwise.createChat({ model: '/models/tiny/', workerUrl: path }).then(
          () => ({ name: 'resolved', message: 'createChat() resolved' }),
          (error: Error) => ({ name: error.name, message: error.message }),
        );
        return (await Promise.race([attempt, deadline])) as { name: string; message: string };
      }, path);
      assert.equal(failure.name, 'WorkerLoadError', failure.message);
      assert.ok(failure.message.includes(`${env.server.url}${path}`), failure.message);
      assert.match(failure.message, what === '404s' ? /HTTP 404/ : /text\/html, not JavaScript/);
    });
  }
});
