// Probe (not part of npm test) for "WebKitGTK SharedWorker: the store restarted while a page still used
// it" (docs/decisions/browsers.md): which page's closing ends a SharedWorker that other pages still use?
// A bare SharedWorker (no tabwise code) names itself with a random id and holds a Web Lock named after
// it for its whole life. Run in any engine:
//   TABWISE_BROWSERS=webkit node --import tsx --test --test-reporter=spec tests/probes/shared-worker-lifetime.probe.ts
// PROBE_ROUNDS (default 3); PROBE_PAGES: pages opened after the creator, one at a time (default 4).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserSuite } from '../support/browser.ts';
import type { TestPage } from '../support/test-page.ts';

function serve(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith('/probe-sw/worker.js')) return false;
  res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`
    const id = Math.random().toString(36).slice(2, 8);
    navigator.locks.request('probe-sw:' + id, () => new Promise(() => {}));
    const log = new BroadcastChannel('probe-sw-log');
    let connects = 0;
    const silent = new Set();
    log.postMessage(id + ' started');
    onconnect = ({ ports: [port] }) => {
      const n = ++connects;
      let spoke = false;
      log.postMessage(id + ' connect ' + n);
      port.postMessage('hello ' + id + ' ' + n);
      silent.add(port);
      port.onmessage = ({ data }) => {
        silent.delete(port);
        if (data === 'close-silent') { log.postMessage(id + ' closes ' + silent.size + ' silent ports'); for (const s of silent) s.close(); silent.clear(); }
        else if (data !== 'id') log.postMessage(id + ' got ' + data);
        port.postMessage(id);
      };
    };`);
  return true;
}

/** The ids of live worker instances, from the locks they hold. */
function liveIds(page: TestPage): Promise<string[]> {
  return page.evaluate(async () => ((await navigator.locks.query()).held ?? []).map((lock) => String(lock.name)).filter((name) => name.startsWith('probe-sw:')).map((name) => name.slice(9)).sort());
}

browserSuite('probe: SharedWorker lifetime', { server: { intercept: serve } }, (env) => {
  const page = (context: Awaited<ReturnType<typeof env.newContext>>) => context.newPage(env.url('/tests/pages/global-state/index.html'));
  const rounds = Number(process.env.PROBE_ROUNDS ?? 3);

  env.test('pages open one at a time: what each sees, and what the creator sees after each', { timeout: 600_000 }, async () => {
    for (let round = 0; round < rounds; round++) {
      const context = await env.newContext();
      const creator = await page(context);
      const steps = [`creator ${await askIdAfterSend(creator)}`];
      for (let n = 1; n <= Number(process.env.PROBE_PAGES ?? 4); n++) {
        const next = await page(context);
        steps.push(`page ${n} ${await askIdAfterSend(next)}, creator ${await askIdAfterSend(creator)}, live ${(await liveIds(creator)).join('+')}`);
      }
      console.log(JSON.stringify({ probe: 'one at a time', engine: env.engine, round, steps }));
      await context.close();
    }
  });

  env.test('the creator closes while another page uses the worker', { timeout: 600_000 }, async () => {
    for (let round = 0; round < rounds; round++) {
      const context = await env.newContext();
      const creator = await page(context);
      const first = await askIdAfterSend(creator);
      const user = await page(context);
      const seenByUser = await askIdAfterSend(user);
      await creator.close();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const afterClose = await askIdAfterSend(user);
      const fresh = await page(context);
      const seenByFresh = await askIdAfterSend(fresh);
      console.log(JSON.stringify({ probe: 'creator closes', engine: env.engine, round, first, seenByUser, afterClose, seenByFresh, live: await liveIds(user) }));
      await context.close();
    }
  });

  // Does the new instance get 'connect' for the ports of pages that connected to the old one?
  env.test('which connects each instance receives, across the switch', { timeout: 600_000 }, async () => {
    for (let round = 0; round < rounds; round++) {
      const context = await env.newContext();
      const creator = await page(context);
      await creator.evaluate(() => {
        const w = window as unknown as { probeLog: string[] };
        w.probeLog = [];
        new BroadcastChannel('probe-sw-log').onmessage = ({ data }) => w.probeLog.push(String(data));
      });
      const pages = [creator];
      const answers: string[] = [`creator ${await askIdAfterSend(creator)}`];
      for (let n = 1; n <= 5; n++) {
        pages.push(await page(context));
        answers.push(`page ${n} ${await askIdAfterSend(pages[n])}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // Every page sends once more on its first port, marked, so a transplanted port shows as 'got'.
      const again = await Promise.all(pages.map((p, n) => p.evaluate((n) => new Promise<string>((resolve) => {
        const port = (window as unknown as { probePort: MessagePort }).probePort;
        const timer = setTimeout(() => resolve('silent'), 3_000);
        port.onmessage = ({ data }) => { if (!String(data).startsWith("hello")) { clearTimeout(timer); resolve(String(data)); } };
        port.postMessage('again from ' + n);
      }), n)));
      // What tabwise does when its store's lock goes: a new SharedWorker. Then the instance closes the
      // ports that never spoke (the transplanted ones) and every page asks on its newest port.
      const reconnected = await Promise.all(pages.slice(0, 3).map((p) => p.evaluate(() => {
        const w = window as unknown as { probePort: MessagePort; oldInbox: string[] };
        const old = w.probePort;
        w.oldInbox = [];
        old.onmessage = ({ data }) => w.oldInbox.push(String(data));
        w.probePort = new SharedWorker('/probe-sw/worker.js', { name: 'probe' }).port;
        return new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('silent'), 3_000);
          w.probePort.onmessage = ({ data }) => { if (!String(data).startsWith('hello')) { clearTimeout(timer); resolve(String(data)); } };
          w.probePort.postMessage('id');
        });
      })));
      const closeAnswer = await pages[3].evaluate(() => new Promise<string>((resolve) => {
        const port = (window as unknown as { probePort: MessagePort }).probePort;
        port.onmessage = ({ data }) => { if (!String(data).startsWith("hello")) resolve(String(data)); };
        port.postMessage('close-silent');
      }));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const afterClose = await Promise.all(pages.map((p, n) => p.evaluate((n) => new Promise<string>((resolve) => {
        const port = (window as unknown as { probePort: MessagePort }).probePort;
        const timer = setTimeout(() => resolve('silent'), 3_000);
        port.onmessage = ({ data }) => { if (!String(data).startsWith('hello')) { clearTimeout(timer); resolve(String(data)); } };
        port.postMessage('after close from ' + n);
      }), n)));
      const oldInboxes = await Promise.all(pages.slice(0, 3).map((p) => p.evaluate(() => (window as unknown as { oldInbox: string[] }).oldInbox)));
      const log = await creator.evaluate(() => (window as unknown as { probeLog: string[] }).probeLog);
      console.log(JSON.stringify({ probe: 'connects', engine: env.engine, round, answers, again, reconnected, closeAnswer, afterClose, oldInboxes, log, live: await liveIds(creator) }));
      await context.close();
    }
  });

  for (const together of [true, false]) {
  env.test(`the creator stays while three pages open ${together ? 'together' : 'one after another'} and close`, { timeout: 600_000 }, async () => {
    for (let round = 0; round < rounds; round++) {
      const context = await env.newContext();
      const creator = await page(context);
      const first = await askIdAfterSend(creator);
      const others: TestPage[] = [];
      if (together) others.push(...(await Promise.all([page(context), page(context), page(context)])));
      else for (let n = 0; n < 3; n++) others.push(await page(context));
      const seenByOthers = await Promise.all(others.map(askIdAfterSend));
      const liveWhileOpen = await liveIds(creator);
      await Promise.all(others.map((other) => other.close()));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const afterClose = await askIdAfterSend(creator);
      console.log(JSON.stringify({ probe: `three ${together ? 'together' : 'in turn'}`, engine: env.engine, round, first, seenByOthers, liveWhileOpen, afterClose, live: await liveIds(creator) }));
      await context.close();
    }
  });
  }
});

/** Sends 'id' on the page's port (connecting first) and waits for the answer. */
async function askIdAfterSend(page: TestPage): Promise<string> {
  return page.evaluate(() => {
    const w = window as unknown as { probePort?: MessagePort };
    w.probePort ??= new SharedWorker('/probe-sw/worker.js', { name: 'probe' }).port;
    const port = w.probePort;
    return new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('silent'), 3_000);
      port.onmessage = ({ data }) => { if (!String(data).startsWith("hello")) { clearTimeout(timer); resolve(String(data)); } };
      port.postMessage('id');
    });
  });
}
