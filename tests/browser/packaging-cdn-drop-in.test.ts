// The drop-in bundle from a CDN: tabwise.js (from the npm pack tarball) served by a second local
// origin with CORS, on a page of another origin without COOP/COEP. The engine worker starts through
// a same-origin blob: shim, WASM runs on one thread and says why, global state is shared between
// two tabs, and a CSP without `worker-src blob:` gets a named error saying which directive to add.
// In every engine: unlike a bundler's output, how a cross-origin script starts workers and which
// global-state transport it can use are the browser's business.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite } from '../support/browser.ts';
import { packedInstall, serveFolders, type StaticServer } from '../support/packaging.ts';
import { checkChatAndSharedScores } from './packaging-checks.ts';

browserSuite('packaging-cdn-drop-in', {}, (env) => {
  let cdn: StaticServer;
  let site: StaticServer;
  let pages: string;

  /** The README's CSP for a CDN setup, with the CDN's origin filled in. */
  const cdnCsp = (origin: string, workerSrc: string) =>
    `default-src 'self'; script-src 'self' ${origin} 'wasm-unsafe-eval'; worker-src ${workerSrc}; connect-src 'self' ${origin}; style-src 'self'`;

  before(async () => {
    const install = packedInstall();
    const bundle = join(install.app('vite-app'), '../node_modules/@tabwise/elements/dist');
    cdn = await serveFolders({ '/tabwise/': bundle }, { 'Access-Control-Allow-Origin': '*' });
    pages = join(install.root, 'cdn-pages');
    mkdirSync(pages, { recursive: true });
    const page = (title: string) => `<!doctype html>
  <html lang="en"><head><meta charset="utf-8"><title>${title}</title>
  <script type="module" src="${cdn.url}/tabwise/tabwise.js"></script></head>
  <body>
  <tabwise-chatbot model="/models/tiny/" max-new-tokens="12"></tabwise-chatbot>
  <tabwise-scoreboard key="cdn-scores" top="3"></tabwise-scoreboard>
  </body></html>`;
    writeFileSync(join(pages, 'index.html'), page('tabwise from a CDN'));
    site = await serveFolders({ '/': pages });
  });
  after(async () => {
    await site?.close();
    await cdn?.close();
  });

  env.test('from another origin, on a page that is not isolated: chat replies and two tabs share the scoreboard', { timeout: 240_000 }, async () => {
    await checkChatAndSharedScores(env, `${site.url}/`);
  });

  env.test('one WASM thread on a page that is not isolated, with the reason and the fix', { timeout: 120_000 }, async () => {
    const page = await (await env.newContext()).newPage(`${site.url}/`);
    const threads = await page.evaluate(async (bundle) => {
      const { createChat } = await import(bundle);
      const chat = await createChat({ model: '/models/tiny/' });
      const result = { isolated: crossOriginIsolated, device: chat.device, threads: chat.threads, threadsReason: chat.threadsReason };
      await chat.dispose();
      return result;
    }, `${cdn.url}/tabwise/tabwise.js`);
    assert.equal(threads.isolated, false);
    assert.equal(threads.device, 'wasm');
    assert.equal(threads.threads, 1);
    assert.match(threads.threadsReason, /not cross-origin isolated/);
    assert.match(threads.threadsReason, /Cross-Origin-Opener-Policy: same-origin/);
  });

  for (const [what, workerSrc, expected] of [
    ["the README's CSP (worker-src 'self' blob: and the CDN)", "'self' blob: CDN", 'works'],
    ["a CSP whose worker-src forbids blob:", "'self'", 'WorkerBlockedError'],
  ] as const) {
    env.test(`under ${what}: ${expected}`, { timeout: 120_000 }, async () => {
      const server = await serveFolders({ '/': pages }, { 'Content-Security-Policy': cdnCsp(cdn.url, workerSrc.replace('CDN', cdn.url)) });
      try {
        const page = await (await env.newContext()).newPage(`${server.url}/`);
        const outcome = await page.evaluate(async (bundle) => {
          // What the page's policy refused, from the page's own event: the same in every engine.
          const violations: string[] = [];
          document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
          const { createChat } = await import(bundle);
          try {
            const chat = await createChat({ model: '/models/tiny/', generation: { maxNewTokens: 4 } });
            await chat.send('Hello');
            await chat.dispose();
            return { name: 'works', message: '', violations };
          } catch (error) {
            return { name: (error as Error).name, message: (error as Error).message, violations };
          }
        }, `${cdn.url}/tabwise/tabwise.js`);
        assert.equal(outcome.name, expected, outcome.message);
        if (expected === 'works') {
          assert.deepEqual(outcome.violations, []);
          // Where the driver reports the console (not WebKit's), a worker's violations show there too.
          assert.deepEqual((await page.consoleErrors()).filter((line) => /Content.Security.Policy/i.test(line)), []);
        }
        else assert.match(outcome.message, /worker-src 'self' blob: http:\/\/127\.0\.0\.1:\d+/);
      } finally {
        await server.close();
      }
    });
  }
});
