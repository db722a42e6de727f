// share: 'origin': the tabs of one profile (a browser context) use one engine, hosted by one of
// them, and each keeps its own session. Pages of one context share its SharedWorkers and Web Locks,
// as tabs of one browser profile do. Tiny model, fp32, WASM, greedy.
import assert from 'node:assert/strict';
import { browserSuite, type EngineContext, type TestPage } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';

declare global {
  interface Window {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    chat: any;
    turn: { deltas: string[]; outcome?: { name: string; message: string } | { reply: string } };
    /* eslint-enable @typescript-eslint/no-explicit-any */
  }
}

interface Message {
  role: string;
  content: string;
  interrupted?: boolean;
}

interface Shared {
  requested: string;
  mode: string;
  reason: string;
  host: boolean;
  tabs: number;
}

const tiny = '/models/tiny/';
/** Deadlines are hang guards for a loaded 2-core box, never timings. */
const loadDeadline = 120_000;

// WebKitGTK ends the broker SharedWorker when more pages load and starts a fresh one that knows no
// host (docs/decisions/browsers.md); the host registers again there, so the suite runs in all three.
browserSuite('shared engine', {}, (env) => {
  async function sharedPage(context: EngineContext): Promise<TestPage> {
    const page = await context.newPage(env.url('/tests/pages/chat/index.html'));
    await page.waitForSelector('body[data-ready]', { what: 'the chat test page to load the bundle' });
    return page;
  }

  /** Opens `window.chat` with share: 'origin' (or 'tab'); resolves to its shared status. */
  function openChat(page: TestPage, share = 'origin', maxNewTokens = 6): Promise<Shared> {
    return page.evaluate(
      async ({ model, share, maxNewTokens }) => {
        window.chat = await window.tabwise.createChat({ model, device: 'wasm', dtype: 'fp32', share, generation: { maxNewTokens } });
        return window.chat.shared;
      },
      { model: tiny, share, maxNewTokens },
    );
  }

  function send(page: TestPage, text: string): Promise<string> {
    return page.evaluate((text) => window.chat.send(text), text);
  }

  function history(page: TestPage): Promise<Message[]> {
    return page.evaluate(() => window.chat.history);
  }

  function shared(page: TestPage): Promise<Shared> {
    return page.evaluate(() => window.chat.shared);
  }

  /** Starts a long reply in `page` (kept in window.turn) and resolves once its first token arrived. */
  async function startLongTurn(page: TestPage, text: string): Promise<void> {
    await page.evaluate((text) => {
      window.turn = { deltas: [] };
      window.chat
        .send(text, { generation: { maxNewTokens: 400, minNewTokens: 400 }, onToken: (delta: string) => window.turn.deltas.push(delta) })
        .then(
          (reply: string) => (window.turn.outcome = { reply }),
          (error: Error) => (window.turn.outcome = { name: error.name, message: error.message }),
        );
    }, text);
    await page.waitForFunction(() => window.turn.deltas.length > 0, undefined, { what: 'the first streamed token of the long reply' });
  }

  async function turnOutcome(page: TestPage) {
    return page.waitForFunction(() => window.turn.outcome && { outcome: window.turn.outcome, streamed: window.turn.deltas.join('') }, undefined, {
      what: 'the long reply to settle after its host went',
      timeoutMs: loadDeadline,
    });
  }

  /** A guest whose host goes mid-reply: the named error, the partial turn kept, the next send served with the history intact. */
  async function checkInterruptedGuest(guest: TestPage, before: Message[], text: string) {
    const { outcome, streamed } = (await turnOutcome(guest))!;
    assert.equal((outcome as { name: string }).name, 'WorkerCrashedError', JSON.stringify(outcome));
    const kept = await history(guest);
    assert.deepEqual(kept.slice(0, before.length), before, 'earlier turns are kept');
    assert.deepEqual(kept.slice(before.length), [
      { role: 'user', content: text },
      { role: 'assistant', content: streamed, interrupted: true },
    ]);
    assert.ok(streamed.length > 0, 'part of the reply had streamed');
    const next = await guest.evaluate(async () => {
      const reply = await window.chat.send('Are you still there?');
      return { reply, history: window.chat.history, stats: window.chat.stats, shared: window.chat.shared };
    });
    assert.equal(typeof next.reply, 'string');
    assert.deepEqual(next.history.slice(0, kept.length), kept, 'the history survived the move to a new host');
    assert.equal(next.history.length, kept.length + 2);
    // The new host rebuilt the session from this tab's snapshot: the whole history was fed to the model.
    assert.ok(next.stats.contextTokens > next.stats.promptTokens - 1 && next.stats.contextTokens > 20, JSON.stringify(next.stats));
    return next.shared as Shared;
  }

  env.test('four pages share one engine, and each page gets the greedy replies it gets alone', { timeout: 300_000 }, async () => {
    const context = await env.newContext();
    const pages = [await sharedPage(context)];
    const first = await openChat(pages[0]);
    assert.deepEqual(first, { requested: 'origin', mode: 'origin', reason: '', host: true, tabs: 1 });
    for (let i = 1; i < 4; i++) pages.push(await sharedPage(context));
    const statuses = await Promise.all(pages.slice(1).map((page) => openChat(page)));
    assert.deepEqual(statuses.map((status) => status.host), [false, false, false], 'the first page hosts; the others are guests');
    for (const page of pages) {
      await page.waitForFunction(() => window.chat.shared.tabs === 4, undefined, { what: 'every page to count 4 tabs' });
    }
    assert.equal(await pages[1].evaluate(() => window.chat.worker === undefined), true, 'a guest starts no engine worker');

    const script = (i: number) => [`Page ${i} says hello.`, `Page ${i} asks: what is ${i * 7}?`, 'And then?'];
    // All four pages talk at once, turn by turn.
    const sharedReplies: string[][] = pages.map(() => []);
    for (let turn = 0; turn < 3; turn++) {
      const replies = await Promise.all(pages.map((page, i) => send(page, script(i)[turn])));
      replies.forEach((reply, i) => sharedReplies[i].push(reply));
    }
    const histories = await Promise.all(pages.map((page) => history(page)));
    histories.forEach((messages, i) => {
      assert.deepEqual(messages.filter((m) => m.role === 'user').map((m) => m.content), script(i), `page ${i} sees only its own messages`);
    });
    const memory = await pages[2].evaluate(() => window.tabwise.TabwiseUnstable.engineMemory(window.chat));
    assert.equal(memory.sessions, 4, 'one engine holds the four sessions');

    // The same conversations with share: 'tab' in a fresh profile, one after another (one worker, so
    // one load). The shared profile closes first, so its memory is not held beside the new one.
    await context.close();
    const alone = await sharedPage(await env.newContext());
    const soloReplies = await alone.evaluate(
      async ({ model, scripts }) => {
        const options = { model, device: 'wasm', dtype: 'fp32', share: 'tab', generation: { maxNewTokens: 6 } };
        const out: { mode: string; replies: string[] }[] = [];
        for (const script of scripts) {
          const chat = await window.tabwise.createChat(options);
          const replies: string[] = [];
          for (const text of script) replies.push(await chat.send(text));
          out.push({ mode: chat.shared.mode, replies });
        }
        return out;
      },
      { model: tiny, scripts: pages.map((_, i) => script(i)) },
    );
    soloReplies.forEach(({ mode, replies }, i) => {
      assert.equal(mode, 'tab');
      assert.deepEqual(sharedReplies[i], replies, `page ${i}: shared and alone agree`);
    });
  });

  env.test('closing the host mid-reply: the guest gets WorkerCrashedError, keeps the partial turn, and the next send works', { timeout: 300_000 }, async () => {
    const context = await env.newContext();
    const host = await sharedPage(context);
    await openChat(host);
    const guest = await sharedPage(context);
    assert.equal((await openChat(guest)).host, false);
    await send(guest, 'My name is Ada.');
    const before = await history(guest);
    await startLongTurn(guest, 'Tell me a long story.');
    await host.close();
    const after = await checkInterruptedGuest(guest, before, 'Tell me a long story.');
    assert.equal(after.host, true, 'the remaining page hosts now');
    assert.equal(after.tabs, 1);
  });

  env.test("crashing the host's worker: the guest gets WorkerCrashedError, keeps the partial turn, and both pages go on", { timeout: 300_000 }, async () => {
    const context = await env.newContext();
    const host = await sharedPage(context);
    await openChat(host);
    await send(host, 'I am the host page.');
    const hostBefore = await history(host);
    const guest = await sharedPage(context);
    await openChat(guest);
    await send(guest, 'My name is Ada.');
    const before = await history(guest);
    await startLongTurn(guest, 'Tell me a long story.');
    await host.evaluate(() => window.chat.worker.terminate());
    const after = await checkInterruptedGuest(guest, before, 'Tell me a long story.');
    const hostNext = await host.evaluate(async () => ({ reply: await window.chat.send('Host again.'), history: window.chat.history }));
    assert.deepEqual(hostNext.history.slice(0, hostBefore.length), hostBefore, "the old host's session was restored too");
    assert.equal(hostNext.history.length, hostBefore.length + 2);
    await host.waitForFunction(() => window.chat.shared.tabs === 2, undefined, { what: 'the new engine to serve both pages' });
    const hosts = [(await shared(host)).host, after.host];
    assert.equal(hosts.filter(Boolean).length, 1, `exactly one page hosts: ${JSON.stringify(hosts)}`);
  });

  env.test("a call naming another tab's session is refused with SessionAccessError, and that session is untouched", { timeout: 300_000 }, async () => {
    const context = await env.newContext();
    const owner = await sharedPage(context);
    await openChat(owner);
    await send(owner, 'This conversation is mine.');
    const before = await history(owner);
    const victimId = await owner.evaluate(() => window.tabwise.TabwiseUnstable.sessionId(window.chat));
    const intruder = await sharedPage(context);
    await openChat(intruder);
    const refusals = await intruder.evaluate(async (victimId) => {
      const calls: [string, unknown[]][] = [
        ['history', [victimId]],
        ['reply', [victimId, 'Hijacked!', { maxNewTokens: 2 }]],
        ['abort', [victimId]],
        ['reset', [victimId]],
        ['undo', [victimId]],
        ['openSession', [victimId, []]],
        ['closeSession', [victimId]],
        ['history', [42]],
      ];
      const outcomes: string[] = [];
      for (const [method, args] of calls) {
        outcomes.push(
          await window.tabwise.TabwiseUnstable.rawEngineCall(window.chat, method, args).then(
            () => `${method}: no error`,
            (error: Error) => `${method}: ${error.name}`,
          ),
        );
      }
      return outcomes;
    }, victimId);
    assert.deepEqual(refusals, [
      'history: SessionAccessError',
      'reply: SessionAccessError',
      'abort: SessionAccessError',
      'reset: SessionAccessError',
      'undo: SessionAccessError',
      'openSession: SessionAccessError',
      'closeSession: SessionAccessError',
      'history: SessionAccessError',
    ]);
    // The owner's session in the engine is as it was: the next turn reuses its KV cache.
    const next = await owner.evaluate(async () => ({ reply: await window.chat.send('Still mine?'), history: window.chat.history, stats: window.chat.stats }));
    assert.deepEqual(next.history.slice(0, before.length), before);
    assert.equal(next.history.length, before.length + 2);
    assert.ok(next.stats.promptTokens < next.stats.contextTokens / 2, `the cache was kept: ${JSON.stringify(next.stats)}`);
    assert.equal(typeof (await send(intruder, 'My own session works.')), 'string');
    const badShare = await intruder.evaluate((model) =>
      window.tabwise.createChat({ model, share: 'everyone' }).then(
        () => 'no error',
        (error: Error) => `${error.name}: ${error.message}`,
      ),
    tiny);
    assert.match(badShare, /^RangeError: share must be 'tab' or 'origin'/);
  });
  env.test("a guest whose host never answers loads its own model after the broker deadline (share: 'tab', saying why)", { timeout: 300_000 }, async () => {
    const context = await env.newContext();
    // A tab that took the election lock but never registers with the broker, as a frozen host tab
    // (or one whose port to the broker died) looks from outside.
    const stuck = await sharedPage(context);
    await stuck.evaluate((model) => {
      const key = JSON.stringify([new URL(model, location.href).href, 'main', 'wasm', 'fp32']);
      return new Promise<void>((held) => void navigator.locks.request(`tabwise-engine-host:${key}`, () => (held(), new Promise(() => {}))));
    }, tiny);
    const guest = await sharedPage(context);
    await guest.evaluate(() => window.tabwise.TabwiseUnstable.setEngineBrokerDeadline(3000));
    const status = await openChat(guest);
    assert.equal(status.requested, 'origin');
    assert.equal(status.mode, 'tab', JSON.stringify(status));
    assert.match(status.reason, /could not reach the tab that hosts this model \(the engine broker did not hand this tab to it within 3 s\), so this tab loads its own model/);
    assert.deepEqual([status.host, status.tabs], [true, 1]);
    const reply = await guest.evaluate(async () => ({ reply: await window.chat.send('Hello?'), ownWorker: window.chat.worker !== undefined }));
    assert.equal(typeof reply.reply, 'string');
    assert.equal(reply.ownWorker, true, 'the tab runs its own engine worker');
  });

  env.test('16 pages join and leave at random: no session outlives its page, and no page sees another\'s history', { timeout: 600_000 }, async () => {
    const context = await env.newContext();
    const host = await sharedPage(context);
    await openChat(host, 'origin', 3);
    await send(host, 'Host page 0 is here.');
    const sessionsInHost = () => host.evaluate(async () => (await window.tabwise.TabwiseUnstable.engineMemory(window.chat)).sessions);
    // A seeded generator: the same schedule every run (mulberry32).
    let seed = 15;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const open = new Map<number, TestPage>();
    const problems: string[] = [];
    const checkOwnHistory = async (page: TestPage, n: number) => {
      const foreign = (await history(page)).filter((m) => m.role === 'user' && !m.content.startsWith(`Page ${n}:`));
      if (foreign.length) problems.push(`page ${n} saw ${JSON.stringify(foreign)}`);
    };
    const leave = async () => {
      const [n, page] = [...open][Math.floor(random() * open.size)];
      open.delete(n);
      await checkOwnHistory(page, n);
      // Half the pages leave in the middle of a reply: the host stops it and frees the session.
      if (random() < 0.5) await startLongTurn(page, `Page ${n}: a long story, please.`);
      await page.close();
    };
    for (let n = 1; n <= 15; n++) {
      const page = await sharedPage(context);
      const status = await openChat(page, 'origin', 3);
      if (status.host) problems.push(`page ${n} hosted while page 0 was open`);
      open.set(n, page);
      for (let turn = 0; turn < 1 + Math.floor(random() * 2); turn++) await send(page, `Page ${n}: message ${turn}.`);
      await checkOwnHistory(page, n);
      while (open.size > 5 || (open.size > 0 && random() < 0.4)) await leave();
      await waitFor(`the host to hold one session per open page (${open.size + 1})`, sessionsInHost, (count) => count === open.size + 1, 60_000);
    }
    while (open.size > 0) await leave();
    await waitFor('the host to hold only its own session', sessionsInHost, (count) => count === 1, 60_000);
    await host.waitForFunction(() => window.chat.shared.tabs === 1, undefined, { what: 'the host to count itself alone' });
    assert.deepEqual(problems, []);
    assert.deepEqual((await history(host)).filter((m) => m.role === 'user').map((m) => m.content), ['Host page 0 is here.']);
  });
});
