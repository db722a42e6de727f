// Probe (not part of npm test) for the Firefox ESR load hang in docs/decisions/browsers.md, reduced to
// what the engine worker does at the point where it stalled: a Cache API put() whose body streams views of
// a buffer, still running while the worker dynamically imports onnxruntime-web's loader (.mjs). Each
// iteration is a fresh module worker, as each createChat is. Run:
//   TABWISE_BROWSERS=firefox node --import tsx --test --test-reporter=spec tests/probes/firefox-cache-import.probe.ts
// PROBE_ITERATIONS (default 150); PROBE_NO_PUT=1 imports without the put; PROBE_NO_IMPORT=1 puts without importing;
// PROBE_NESTED=1 first creates a nested module worker (named em-pthread, as onnxruntime's pthread) and waits for its message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite } from '../support/browser.ts';
const js = { 'Content-Type': 'text/javascript', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
function serve(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url?.startsWith('/mp/child.js')) { res.writeHead(200, js).end(`self.postMessage('hi');`); return true; }
  if (!req.url?.startsWith('/mp/worker.js')) return false;
  res.writeHead(200, js).end(`
    self.onmessage = async ({ data: { i, put, load, nested } }) => {
      const state = { put: put ? 'pending' : 'skipped', import: load ? 'pending' : 'skipped', nested: nested ? 'constructing' : 'skipped' };
      self.postMessage({ state });
      if (nested) {
        const child = new Worker('/mp/child.js?i=' + i, { type: 'module', name: 'em-pthread' });
        state.nested = 'constructed'; self.postMessage({ state });
        await new Promise((resolve) => { child.onmessage = resolve; });
        state.nested = 'answered'; self.postMessage({ state });
        child.terminate();
      }
      const bytes = new Uint8Array(6683166); bytes[0] = 8; for (let k = 1; k < bytes.length; k += 4096) bytes[k] = k & 255;
      const jobs = [];
      if (put) {
        const cache = await caches.open('tabwise-probe');
        let offset = 0;
        const body = new ReadableStream({ pull(c) { if (offset >= bytes.length) return c.close(); c.enqueue(bytes.subarray(offset, offset + (4 << 20))); offset += 4 << 20; } });
        jobs.push(cache.put('/mp/file-' + i, new Response(body)).then(() => { state.put = 'done'; self.postMessage({ state }); }));
      }
      if (load) jobs.push(import('/dist/ort-wasm-simd-threaded.mjs?i=' + i).then(() => { state.import = 'done'; self.postMessage({ state }); }));
      await Promise.all(jobs);
      self.postMessage({ state, end: true });
    };`);
  return true;
}
browserSuite('probe cache+import', { server: { intercept: serve } }, (env) => {
  env.test('put and import in fresh workers', { timeout: 900_000 }, async () => {
    const page = await env.newPage('/tests/pages/chat/index.html');
    await page.waitForSelector('body[data-ready]');
    const settings = { n: Number(process.env.PROBE_ITERATIONS ?? 150), put: !process.env.PROBE_NO_PUT, load: !process.env.PROBE_NO_IMPORT, nested: Boolean(process.env.PROBE_NESTED) };
    await page.evaluate((s: { n: number; put: boolean; load: boolean; nested: boolean }) => { void (async () => {
      const out: string[] = (window as any).__out = [];
      let hangs = 0;
      for (let i = 0; i < s.n; i++) {
        await caches.delete('tabwise-probe');
        const worker = new Worker('/mp/worker.js', { type: 'module' });
        let last: unknown;
        const r = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('HANG ' + JSON.stringify(last)), 10000);
          worker.onmessage = (e) => { last = e.data.state; if (e.data.end) { clearTimeout(timer); resolve('ok'); } };
          worker.onerror = (e) => { clearTimeout(timer); resolve('error ' + e.message); };
          worker.postMessage({ i, put: s.put, load: s.load, nested: s.nested });
        });
        worker.terminate();
        if (r !== 'ok') { hangs++; out.push(`${i} ${r}`); }
      }
      out.push(`iterations ${s.n}, not ok ${hangs}`, 'END');
    })(); }, settings);
    try { await page.waitForFunction(() => (window as any).__out.includes('END'), undefined, { what: 'end', timeoutMs: 840_000 }); } finally {
      console.log(JSON.stringify(await page.evaluate(() => (window as any).__out))); }
  });
});
