// Faults while fetching a model: dropped connections, server errors, a corrupted Cache API entry,
// a full disk. Each ends in a clear error or a working chat, never in a half-cached file. The faults
// come from the test server, so they run in every engine; the full disk needs CDP (Chromium only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite, type TestPage } from '../support/browser.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

type Fault = 'none' | 'drop-half' | 'http-500' | 'http-404' | 'garbage';
/** The fault applied to onnx/model.onnx under /faulty/; everything else is served as is. */
let fault: Fault = 'none';
const modelUrl = '/faulty/';

/**
 * An engine worker whose Cache API `put()` of the ONNX file waits until the page posts 'release' on
 * the BroadcastChannel 'held-put' (and says 'held' when it starts waiting): a slow disk on demand.
 */
const heldPutWorker = '/held-put/engine-worker.js';
const heldPutPatch = `
  const channel = new BroadcastChannel('held-put');
  let release;
  const released = new Promise((resolve) => (release = resolve));
  channel.onmessage = (event) => event.data === 'release' && release();
  const put = Cache.prototype.put;
  Cache.prototype.put = async function (request, response) {
    if (!String(request.url ?? request).endsWith('onnx/model.onnx')) return put.call(this, request, response);
    channel.postMessage('held');
    await released;
    return put.call(this, request, response);
  };`;

function faultyModel(req: IncomingMessage, res: ServerResponse): boolean {
  const js = { 'Content-Type': 'text/javascript', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  if (req.url === '/held-put/patch.js') return void res.writeHead(200, js).end(heldPutPatch), true;
  if (req.url === heldPutWorker) return void res.writeHead(200, js).end(`import '/held-put/patch.js'; import '/dist/engine-worker.js';`), true;
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

browserSuite('model loading faults', { server: { intercept: faultyModel } }, (env) => {
  const timeout = 240_000; // a hang guard, several times an idle run
  const modelSize = () => readFileSync(requireTinyModel() + 'onnx/model.onnx').length;

  async function freshPage(): Promise<TestPage> {
    const page = await env.newPage('/tests/pages/chat/index.html');
    await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle' });
    return page;
  }

  interface LoadResult {
    ok: boolean;
    reply: string;
    error: string;
    /** The last progress event of onnx/model.onnx. */
    onnx?: { loaded: number; total: number; fromCache?: boolean };
  }

  /**
   * createChat on the faulty model, then one short reply: the error's name and message, or ok. It is
   * started in the page and awaited with a named deadline, so a load that never settles says how far it got.
   */
  async function tryLoad(page: TestPage): Promise<LoadResult> {
    await page.evaluate((model) => {
      const state: { step: string; files: Record<string, string>; result?: unknown } = { step: 'createChat', files: {} };
      (window as unknown as { faultLoad: typeof state }).faultLoad = state;
      const onnx: { loaded: number; total: number; fromCache?: boolean }[] = [];
      void (async () => {
        try {
          const chat = await window.tabwise.createChat({
            model,
            device: 'wasm',
            dtype: 'fp32',
            generation: { maxNewTokens: 3 },
            onProgress: (e: { file: string; loaded: number; total: number; fromCache?: boolean }) => {
              state.files[e.file] = `${e.loaded}/${e.total}${e.fromCache ? ' from the cache' : ''}`;
              if (e.file === 'onnx/model.onnx') onnx.push({ loaded: e.loaded, total: e.total, fromCache: e.fromCache });
            },
          });
          state.step = 'send';
          const reply = await chat.send('Hello?');
          state.step = 'dispose';
          await chat.dispose();
          state.result = { ok: true, reply, error: '', onnx: onnx.at(-1) };
        } catch (error) {
          state.result = { ok: false, reply: '', error: `${(error as Error).name}: ${(error as Error).message}`, onnx: onnx.at(-1) };
        }
      })();
    }, modelUrl);
    try {
      return (await page.waitForFunction(() => (window as unknown as { faultLoad: { result?: LoadResult } }).faultLoad.result, undefined, {
        what: 'createChat on /faulty/ and one reply to settle',
        timeoutMs: 120_000,
      }))!;
    } catch (error) {
      const state = await page.evaluate(() => (window as unknown as { faultLoad: unknown }).faultLoad);
      throw new Error(`${(error as Error).message}; it got as far as ${JSON.stringify(state)}, with ${JSON.stringify(await cachedFiles(page))} in the Cache API`);
    }
  }

  const cachedFiles = (page: TestPage) =>
    page.evaluate(async () => {
      const cache = await caches.open('tabwise-models-v1');
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    });

  /** The byte length of the cached onnx/model.onnx as the page sees it, or null when there is none. */
  const cachedSize = (page: TestPage) =>
    page.evaluate(async () => {
      const cache = await caches.open('tabwise-models-v1');
      const response = await cache.match(new URL('/faulty/onnx/model.onnx', location.href).href);
      return response ? (await response.arrayBuffer()).byteLength : null;
    });

  for (const kind of ['drop-half', 'http-500', 'http-404', 'garbage'] as const) {
    env.test(`download fault "${kind}": a clear error naming the file, nothing partial cached, a retry succeeds`, { timeout }, async () => {
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
      // Where the retry's ONNX bytes came from (the network, or a copy in the Cache API) tells a failure's cause.
      assert.equal(retried.ok, true, `${retried.error} (the retry's last ONNX progress: ${JSON.stringify(retried.onnx)})`);
      assert.equal(retried.onnx?.fromCache, undefined, 'the retry downloaded the ONNX file, nothing half-written was read back');
      assert.ok((await cachedFiles(page)).includes('/faulty/onnx/model.onnx'), 'the retried file is cached');
    });
  }

  // 'unopenable': the right size and first byte, so only onnxruntime finds it bad (the garbage download's bytes).
  for (const corruption of ['truncated', 'html', 'unopenable'] as const) {
    env.test(`a ${corruption} file in the Cache API is detected, evicted and fetched again`, { timeout }, async () => {
      fault = 'none';
      const page = await freshPage();
      assert.equal((await tryLoad(page)).ok, true);
      // The page writes the bad copy over whatever is cached (the original's bytes come from the server).
      await page.evaluate(async (corruption) => {
        const cache = await caches.open('tabwise-models-v1');
        const url = new URL('/faulty/onnx/model.onnx', location.href).href;
        const original = new Uint8Array(await (await fetch(url)).arrayBuffer());
        const unopenable = Uint8Array.from(original, (_, i) => (i === 0 ? 0x08 : i === 1 ? 0x07 : 0xff));
        const body = corruption === 'html' ? new TextEncoder().encode('<!doctype html><h1>Oops</h1>') : corruption === 'unopenable' ? unopenable : original.subarray(0, 1000);
        const headers: Record<string, string> = corruption === 'html' ? { 'content-type': 'text/html' } : { 'x-tabwise-size': String(original.length) };
        await cache.put(url, new Response(body, { headers }));
      }, corruption);
      assert.equal(await cachedSize(page), { html: 28, truncated: 1000, unopenable: modelSize() }[corruption], 'the bad copy is in the Cache API');
      const reloaded = await tryLoad(page);
      assert.equal(reloaded.ok, true, reloaded.error);
      assert.ok(reloaded.onnx && !reloaded.onnx.fromCache && reloaded.onnx.loaded === modelSize(), `fetched again in full (${JSON.stringify(reloaded.onnx)})`);
      assert.equal(await cachedSize(page), modelSize(), 'the good file is cached again');
    });
  }

  env.test('a slow Cache API write holds up neither ready nor the chat, and dispose waits for it, so the file ends up cached', { timeout }, async () => {
    fault = 'none';
    const page = await freshPage();
    await page.evaluate(
      ({ model, workerUrl }) => {
        const state: { held: boolean; ready: boolean; reply?: string; error?: string } = { held: false, ready: false };
        (window as unknown as { slowWrite: typeof state }).slowWrite = state;
        new BroadcastChannel('held-put').onmessage = (event) => event.data === 'held' && (state.held = true);
        void (async () => {
          try {
            const chat = await window.tabwise.createChat({ model, workerUrl, device: 'wasm', dtype: 'fp32', generation: { maxNewTokens: 3 } });
            (window as unknown as { slowChat: unknown }).slowChat = chat;
            state.ready = true;
            state.reply = await chat.send('Hello while the cache is written?');
          } catch (error) {
            state.error = `${(error as Error).name}: ${(error as Error).message}`;
          }
        })();
      },
      { model: modelUrl, workerUrl: heldPutWorker },
    );
    const state = (await page.waitForFunction(
      () => {
        const state = (window as unknown as { slowWrite: { held: boolean; ready: boolean; reply?: string; error?: string } }).slowWrite;
        return state.error !== undefined || (state.held && state.reply !== undefined) ? state : undefined;
      },
      undefined,
      { what: 'createChat and one reply while the ONNX file\'s Cache API write is held', timeoutMs: 120_000 },
    ))!;
    assert.equal(state.error, undefined);
    assert.equal(typeof state.reply, 'string');
    assert.ok(!(await cachedFiles(page)).includes('/faulty/onnx/model.onnx'), 'the write is still held, so nothing is cached yet');

    // Release the write as dispose starts: the worker must not be ended before the write is done.
    await page.evaluate(async () => {
      const disposing = (window as unknown as { slowChat: { dispose(): Promise<void> } }).slowChat.dispose();
      new BroadcastChannel('held-put').postMessage('release');
      await disposing;
    });
    assert.equal(await cachedSize(page), modelSize(), 'once dispose resolved, the whole file is in the Cache API');
  });

  env.test('a full disk (QuotaExceededError from the Cache API): the model loads uncached, with a warning', { timeout, ...env.only(['chromium'], 'CDP: Storage.overrideQuotaForOrigin') }, async () => {
    fault = 'none';
    const page = await freshPage();
    const cdp = await page.playwright!.context().newCDPSession(page.playwright!);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: env.server.url, quotaSize: 64 * 1024 });
    const loaded = await tryLoad(page);
    assert.equal(loaded.ok, true, loaded.error);
    assert.ok(!(await cachedFiles(page)).includes('/faulty/onnx/model.onnx'));
    const warnings = await page.warnings();
    assert.ok(warnings.some((w) => /could not cache .*model\.onnx.*QuotaExceededError/.test(w)), warnings.join('\n'));
  });
});
