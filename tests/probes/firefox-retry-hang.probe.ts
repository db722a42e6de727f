// Probe (not part of npm test: not a *.test.ts) for the open Firefox ESR load hang in docs/decisions/browsers.md:
// in one page, cycles of a load of /drop/ whose ONNX file answers HTTP 500, then the same URL answering
// normally, with the model cache deleted before each cycle. Run:
//   TABWISE_BROWSERS=firefox node --import tsx --test --test-reporter=spec tests/probes/firefox-retry-hang.probe.ts
// It prints each step (HANG = not settled in 40 s) and, after the first hang, what still answers and which
// of the worker's Cache API calls (wrapped through workerUrl: /drop/wrap.js, reported on a BroadcastChannel) had not settled.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite } from '../support/browser.ts';
let failing = true;
function drop(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith('/drop/')) return false;
  const js = { 'Content-Type': 'text/javascript', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  if (req.url === '/drop/patch.js') {
    res.writeHead(200, js).end(`const bc = new BroadcastChannel('probe'); let n = 0;
      for (const [proto, names] of [[Cache.prototype, ['put', 'match', 'delete', 'keys']], [CacheStorage.prototype, ['open']]]) for (const name of names) {
        const orig = proto[name]; proto[name] = function (...args) { const id = ++n; const what = name + ' ' + String(args[0]?.url ?? args[0]).split('/').slice(-2).join('/');
          bc.postMessage('start ' + id + ' ' + what); const p = orig.apply(this, args); p.then(() => bc.postMessage('end ' + id), (e) => bc.postMessage('fail ' + id + ' ' + e)); return p; }; }`);
    return true;
  }
  if (req.url === '/drop/wrap.js') { res.writeHead(200, js).end(`import '/drop/patch.js'; import '/dist/engine-worker.js';`); return true; }
  if (req.url.includes('/toggle')) { failing = req.url.includes('-on'); res.writeHead(200, { 'Cross-Origin-Resource-Policy': 'same-origin' }).end('ok'); return true; }
  const file = req.url.slice('/drop/'.length).split('?')[0];
  const bytes = readFileSync('models/tiny/' + file);
  const headers = { 'Content-Length': String(bytes.length), 'Cross-Origin-Resource-Policy': 'same-origin' };
  if (file === 'onnx/model.onnx' && failing) { res.writeHead(500, headers).end(); return true; }
  res.writeHead(200, headers).end(bytes);
  return true;
}
browserSuite('probe2', { server: { intercept: drop } }, (env) => {
  env.test('fail then retry', { timeout: 900_000 }, async () => {
    const page = await env.newPage('/tests/pages/chat/index.html');
    await page.waitForSelector('body[data-ready]');
    await page.evaluate(() => { void (async () => {
      const out: string[] = (window as any).__out = [];
      const open = new Map<string, string>();
      const seen: string[] = [];
      new BroadcastChannel('probe').onmessage = (e) => { seen.push(String(e.data)); const [kind, id, ...rest] = String(e.data).split(' '); if (kind === 'start') open.set(id, rest.join(' ')); else open.delete(id); };
      (window as any).__open = open;
      const once = async (model: string, useCache: boolean) => {
        const started = performance.now();
        const attempt = (async () => {
          const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', useCache, workerUrl: '/drop/wrap.js', generation: { maxNewTokens: 3 } });
          await chat.send('Hi');
          await chat.dispose();
          return 'ok';
        })().catch((e) => 'error ' + String(e).slice(0, 30));
        const r = await Promise.race([attempt, new Promise((res) => setTimeout(() => res('HANG'), 40000))]);
        return `${r}:${Math.round(performance.now() - started)}`;
      };
      for (let i = 0; i < 6; i++) {
        await caches.delete('tabwise-models-v1');
        await fetch('/drop/toggle-on');
        out.push(`${i} fail ${await once('/drop/', true)}`);
        await fetch('/drop/toggle-off');
        const r = await once('/drop/', true);
        out.push(`${i} retry ${r}`);
        if (r.startsWith('HANG')) {
          const race = (p: Promise<unknown>) => Promise.race([p.then(() => 'ok', (e) => 'err ' + e), new Promise((res) => setTimeout(() => res('HANG'), 10000))]);
          out.push('worker cache calls not settled: ' + JSON.stringify([...open.values()]) + ` of ${seen.length} messages, the last: ${seen.slice(-6).join(' | ')}`);
          out.push('page caches.open ' + (await race(caches.open('tabwise-models-v1'))));
          out.push('page caches.open other ' + (await race(caches.open('other-' + Math.random()))));
          out.push('page keys ' + (await race(caches.open('tabwise-models-v1').then((c) => c.keys()))));
          out.push('page fetch ' + (await race(fetch('/drop/config.json'))));
          out.push('uncached load ' + (await once('/models/tiny/', false)));
          break;
        }
      }
      out.push('END');
    })(); });
    try { await page.waitForFunction(() => (window as any).__out.includes('END'), undefined, { what: 'end', timeoutMs: 240_000 }); } finally {
    console.log(JSON.stringify(await page.evaluate(() => (window as any).__out))); }
  });
});
