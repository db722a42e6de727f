// Faults while fetching a model: dropped connections, server errors, a corrupted Cache API entry,
// a full disk. Each ends in a clear error or a working chat, never in a half-cached file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import { browserSuite, openPage } from '../support/browser.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

type Fault = 'none' | 'drop-half' | 'http-500' | 'http-404' | 'garbage';
/** The fault applied to onnx/model.onnx under /faulty/; everything else is served as is. */
let fault: Fault = 'none';
const modelUrl = '/faulty/';

function faultyModel(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith(modelUrl)) return false;
  const file = req.url.slice(modelUrl.length).split('?')[0];
  let bytes: Buffer;
  try {
    bytes = readFileSync(requireTinyModel() + file.replace(/\.\./g, ''));
  } catch {
    res.writeHead(404).end('not found');
    return true;
  }
  const headers = {
    'Content-Length': String(bytes.length),
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (file === 'onnx/model.onnx' && fault !== 'none') {
    if (fault === 'http-500') return void res.writeHead(500, headers).end(), true;
    if (fault === 'http-404') return void res.writeHead(404).end(), true;
    // Looks like ONNX at first byte (ir_version tag), but onnxruntime cannot parse it.
    if (fault === 'garbage') return void res.writeHead(200, headers).end(Buffer.concat([Buffer.from([0x08, 0x07]), Buffer.alloc(bytes.length - 2, 0xff)])), true;
    // Half the body, then the connection goes away.
    res.writeHead(200, headers);
    res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
    return true;
  }
  res.writeHead(200, headers).end(bytes);
  return true;
}

browserSuite('model loading faults', { server: { intercept: faultyModel }, engines: ['chromium'], reason: 'Chromium only for now: the full-disk case needs CDP (Storage.overrideQuotaForOrigin); the other faults are not yet ported' }, (env) => {
  async function freshPage(): Promise<Page> {
    const page = await openPage(await env.chromium.newContext(), `${env.server.url}/tests/pages/chat/index.html`);
    await page.waitForSelector('body[data-ready]');
    return page;
  }

  /** createChat on the faulty model: the error's name and message, or 'ok' and the cache's keys. */
  function tryLoad(page: Page) {
    return page.evaluate(async (model) => {
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
      try {
        const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 3 } });
        const reply = await chat.send('Hello?');
        await chat.dispose();
        return { ok: true, reply, error: '' };
      } catch (error) {
        return { ok: false, reply: '', error: `${(error as Error).name}: ${(error as Error).message}` };
      } finally {
        console.warn = warn;
      }
    }, modelUrl);
  }

  const cachedFiles = (page: Page) =>
    page.evaluate(async () => {
      const cache = await caches.open('tabwise-models-v1');
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    });

  for (const kind of ['drop-half', 'http-500', 'http-404', 'garbage'] as const) {
    env.test(`download fault "${kind}": a clear error naming the file, nothing partial cached, a retry succeeds`, async () => {
      const page = await freshPage();
      fault = kind;
      const failed = await tryLoad(page);
      assert.equal(failed.ok, false);
      assert.match(failed.error, kind === 'garbage' ? /^CorruptModelFileError: .*onnx\/model\.onnx/s : /^ModelLoadError: .*onnx\/model\.onnx/s);
      if (kind === 'http-500') assert.match(failed.error, /HTTP 500/);
      if (kind === 'drop-half') assert.match(failed.error, /interrupted|incomplete/);
      if (kind === 'http-404') assert.match(failed.error, /decoder_model_merged\.onnx/, 'lists every URL tried');
      assert.ok(!(await cachedFiles(page)).includes('/faulty/onnx/model.onnx'), 'no partial file in the Cache API');

      fault = 'none';
      const retried = await tryLoad(page);
      assert.equal(retried.ok, true, retried.error);
      assert.ok((await cachedFiles(page)).includes('/faulty/onnx/model.onnx'));
    });
  }

  for (const corruption of ['truncated', 'html'] as const) {
    env.test(`a ${corruption} file in the Cache API is detected, evicted and fetched again`, async () => {
      fault = 'none';
      const page = await freshPage();
      assert.equal((await tryLoad(page)).ok, true);
      await page.evaluate(async (corruption) => {
        const cache = await caches.open('tabwise-models-v1');
        const url = new URL('/faulty/onnx/model.onnx', location.href).href;
        const original = new Uint8Array(await (await cache.match(url))!.arrayBuffer());
        const body = corruption === 'html' ? new TextEncoder().encode('<!doctype html><h1>Oops</h1>') : original.subarray(0, 1000);
        const headers: Record<string, string> = corruption === 'html' ? { 'content-type': 'text/html' } : { 'x-tabwise-size': String(original.length) };
        await cache.put(url, new Response(body, { headers }));
      }, corruption);
      const reloaded = await tryLoad(page);
      assert.equal(reloaded.ok, true, reloaded.error);
      const size = await page.evaluate(async () => {
        const cache = await caches.open('tabwise-models-v1');
        return (await (await cache.match(new URL('/faulty/onnx/model.onnx', location.href).href))!.arrayBuffer()).byteLength;
      });
      assert.equal(size, readFileSync(requireTinyModel() + 'onnx/model.onnx').length, 'the good file is cached again');
    });
  }

  env.test('a full disk (QuotaExceededError from the Cache API): the model loads uncached, with a warning', async () => {
    fault = 'none';
    const context = await env.chromium.newContext();
    const page = await openPage(context, `${env.server.url}/tests/pages/chat/index.html`);
    await page.waitForSelector('body[data-ready]');
    const warnings: string[] = [];
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: env.server.url, quotaSize: 64 * 1024 });
    const loaded = await tryLoad(page);
    assert.equal(loaded.ok, true, loaded.error);
    assert.ok(!(await cachedFiles(page)).includes('/faulty/onnx/model.onnx'));
    assert.ok(warnings.some((w) => /could not cache .*model\.onnx.*QuotaExceededError/.test(w)), warnings.join('\n'));
  });
});
