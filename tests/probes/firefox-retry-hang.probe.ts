// Probe (not part of npm test: not a *.test.ts) for the open Firefox ESR load hang in docs/decisions/browsers.md:
// in one page, cycles of a load of /drop/ whose ONNX file answers HTTP 500, then the same URL answering
// normally, with the model cache deleted before each cycle. Run:
//   TABWISE_BROWSERS=firefox node --import tsx --test --test-reporter=spec tests/probes/firefox-retry-hang.probe.ts
// It prints each step (HANG = not settled in 40 s) and, after the first hang, what still answers and which
// of the worker's Cache API calls (wrapped through workerUrl: /drop/wrap.js, reported on a BroadcastChannel) had not settled.
// After each retry it prints the worker's marks: fetches and WebAssembly calls (PROBE_WRAP_FETCH=1), `new Worker`
// before and after its super() ("worker constructing" / "worker new"), WebAssembly.Memory, a tick every 500 ms,
// and any temporary globalThis.__mark?.(…) line put into the built engine worker.
// Env: PROBE_CYCLES (6), PROBE_NO_FAIL=1 (no failing load: a cycle is one cached load), PROBE_THREADS=N (the
// worker's navigator.hardwareConcurrency, so 1 = one WASM thread), PROBE_NO_CACHE=1 (the retry uses useCache: false), PROBE_AWAIT_WRITE=1 (sets globalThis.__probeAwaitWrite).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite } from '../support/browser.ts';
let failing = true;
function drop(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith('/drop/')) return false;
  const js = { 'Content-Type': 'text/javascript', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  if (req.url === '/drop/patch.js') {
    const threads = process.env.PROBE_THREADS ? `Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', { get: () => ${Number(process.env.PROBE_THREADS)} });` : '';
    const awaitWrite = process.env.PROBE_AWAIT_WRITE ? 'globalThis.__probeAwaitWrite = true;' : '';
    res.writeHead(200, js).end(`const bc = new BroadcastChannel('probe'); let n = 0; ${threads} ${awaitWrite}
      const t0 = performance.now(); globalThis.__mark = (what) => bc.postMessage('mark ' + Math.round(performance.now() - t0) + ' ' + what);
      const W = globalThis.Worker; let wn = 0;
      if (W) globalThis.Worker = class extends W { constructor(u, o) { __mark('worker constructing'); super(u, o); const k = ++wn; __mark('worker new ' + k + ' ' + (o?.name ?? ''));
        let first = true; this.addEventListener('message', () => { if (first) { first = false; __mark('worker first message ' + k); } });
        this.addEventListener('error', (e) => __mark('worker error ' + k + ' ' + e.message)); this.addEventListener('messageerror', () => __mark('worker messageerror ' + k)); } };
      if (${Boolean(process.env.PROBE_WRAP_FETCH)}) { const F = globalThis.fetch; globalThis.fetch = function (u, o) { const what = String(u?.url ?? u).split('/').slice(-2).join('/'); __mark('fetch ' + what); const p = F.call(this, u, o); p.then((r) => __mark('fetched ' + r.status + ' ' + what), (e) => __mark('fetch failed ' + what + ' ' + e)); return p; };
      for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) { const orig = WebAssembly[name]; if (orig) WebAssembly[name] = function (...args) { __mark('wasm ' + name); const p = orig.apply(this, args); p.then(() => __mark('wasm ' + name + ' done'), (e) => __mark('wasm ' + name + ' failed ' + e)); return p; }; } }
      let ticks = 0; setInterval(() => __mark('tick ' + ++ticks), 500);
      const M = WebAssembly.Memory; WebAssembly.Memory = function (d) { __mark('memory ' + JSON.stringify(d)); const m = new M(d); __mark('memory made'); return m; }; WebAssembly.Memory.prototype = M.prototype;
      self.addEventListener('error', (e) => __mark('engine worker error ' + e.message)); self.addEventListener('unhandledrejection', (e) => __mark('engine worker rejection ' + e.reason));
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
    await page.evaluate(([cycles, noFail, noCache]: [number, boolean, boolean]) => { void (async () => {
      const out: string[] = (window as any).__out = [];
      const open = new Map<string, string>();
      const seen: string[] = [];
      new BroadcastChannel('probe').onmessage = (e) => { seen.push(String(e.data)); const [kind, id, ...rest] = String(e.data).split(' '); if (kind === 'start') open.set(id, rest.join(' ')); else open.delete(id); };
      (window as any).__open = open;
      const once = async (model: string, useCache: boolean) => {
        const started = performance.now(); seen.push('--- load ' + model + ' cache ' + useCache);
        const attempt = (async () => {
          const chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', useCache, workerUrl: '/drop/wrap.js', generation: { maxNewTokens: 3 } });
          await chat.send('Hi');
          await chat.dispose();
          return 'ok';
        })().catch((e) => 'error ' + String(e).slice(0, 30));
        const r = await Promise.race([attempt, new Promise((res) => setTimeout(() => res('HANG'), 40000))]);
        return `${r}:${Math.round(performance.now() - started)}`;
      };
      for (let i = 0; i < cycles; i++) {
        await caches.delete('tabwise-models-v1');
        await fetch('/drop/toggle-on');
        if (!noFail) out.push(`${i} fail ${await once('/drop/', true)}`);
        await fetch('/drop/toggle-off');
        const r = await once('/drop/', !noCache);
        out.push(`${i} retry ${r}`);
        let from = seen.length - 1;
        while (from > 0 && !seen[from].startsWith('--- load')) from--;
        const marks = seen.slice(from).filter((m) => m.startsWith('mark'));
        out.push(`${i} retry marks: ${marks.join(' | ')}`);
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
    })(); }, [Number(process.env.PROBE_CYCLES ?? 6), Boolean(process.env.PROBE_NO_FAIL), Boolean(process.env.PROBE_NO_CACHE)] as [number, boolean, boolean]);
    try { await page.waitForFunction(() => (window as any).__out.includes('END'), undefined, { what: 'end', timeoutMs: 840_000 }); } finally {
    console.log(JSON.stringify(await page.evaluate(() => (window as any).__out))); }
  });
});
