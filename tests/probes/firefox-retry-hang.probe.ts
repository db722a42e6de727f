// Probe (not part of npm test: not a *.test.ts) for the Firefox ESR hang in docs/decisions/browsers.md:
// in one page, cycles of a load of /drop/ whose ONNX file answers HTTP 500, then the same URL answering
// normally, with the model cache deleted before each cycle. Run:
//   TABWISE_BROWSERS=firefox node --import tsx --test --test-reporter=spec tests/probes/firefox-retry-hang.probe.ts
// It prints each step (HANG = not settled in 40 s) and, after the first hang, what still answers.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite } from '../support/browser.ts';
let failing = true;
function drop(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith('/drop/')) return false;
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
      const once = async (model: string, useCache: boolean) => {
        const started = performance.now();
        const attempt = (async () => {
          const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', useCache, generation: { maxNewTokens: 3 } });
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
