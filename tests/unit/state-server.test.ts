// The state server in one process (memory store) with Node clients: the same global-state API over a
// WebSocket, JSON-only values, origins, authorize(), limits, protocol versions and malformed frames.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { WebSocket } from 'ws';
import { createGlobalState } from '../../packages/core/src/state/create-global-state.ts';
import { closeServerConnections } from '../../packages/core/src/state/server/server-store-clients.ts';
import { createStateServer, type StateServer, type StateServerOptions } from '../../packages/server/src/index.ts';
import { waitFor } from '../support/eventually.ts';

interface Running {
  url: string;
  states: StateServer;
  close(): Promise<void>;
}

async function running(options: Omit<StateServerOptions, 'server'> = {}): Promise<Running> {
  const httpServer = http.createServer();
  const states = createStateServer({ ...options, server: httpServer });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/tabwise-state`,
    states,
    close: async () => {
      await states.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** A raw protocol client, for what the library never sends. */
async function rawSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

let namespace = 0;
/** Every test uses its own namespace, so no two tests share a key. */
const fresh = () => `t${namespace++}`;

after(() => closeServerConnections());

describe('state server, memory store', () => {
  let server: Running;
  before(async () => (server = await running({ limits: { valueBytes: 1024, keysPerConnection: 20, keyLength: 64 } })));
  after(() => server.close());

  test('4 Node clients × 100 concurrent update(n => n + 1) end at 400, and every subscriber sees it in order', { timeout: 30_000 }, async () => {
    const name = fresh();
    const clients = [1, 2, 3, 4].map((n) => createGlobalState('count', 0, { server: server.url, name, token: `client-${n}` }));
    assert.equal(clients[0].transport, 'server');
    const seen = clients.map(() => [] as number[]);
    const offs = clients.map((state, index) => state.subscribe((value) => seen[index].push(value)));
    await Promise.all(clients.flatMap((state) => Array.from({ length: 100 }, () => state.update((n) => n + 1))));
    for (const state of clients) assert.equal(await state.get(), 400);
    for (const values of seen) {
      await waitFor('every subscriber to see 400', () => values.at(-1), (last) => last === 400);
      assert.deepEqual(values, [...values].sort((a, b) => a - b), 'values arrive in commit order');
    }
    offs.forEach((off) => off());
    const stats = await clients[0].stats();
    assert.equal(stats.transport, 'server');
    assert.equal(stats.version, 400);
  });

  test('values must be JSON: anything else is GlobalStateValueError naming the key, and nothing is stored', async () => {
    const state = createGlobalState('scores', [1] as unknown[], { server: server.url, name: fresh() });
    await state.set([1, 2]);
    for (const bad of [new Map(), [Number.NaN], { when: new Date() }, [undefined], () => 1]) {
      await assert.rejects(state.set(bad as never), (error: Error) => error.name === 'GlobalStateValueError' && error.message.includes('"scores"'));
      await assert.rejects(state.update(() => bad as never), { name: 'GlobalStateValueError' });
    }
    assert.deepEqual(await state.get(), [1, 2]);
    assert.throws(() => createGlobalState('x', new Set(), { server: server.url }), { name: 'GlobalStateValueError' });
    assert.throws(() => createGlobalState('x', 0, { server: 'ws://example.com/tabwise-state' }), /wss:\/\//);
    assert.throws(() => createGlobalState('x', 0, { server: 'https://example.com/' }), TypeError);
    assert.throws(() => createGlobalState('x', 0, { server: server.url, timeout: -1 }), RangeError);
  });

  test('a value over the size limit is GlobalStateLimitError, counted, and the value is kept', async () => {
    const state = createGlobalState('blob', 'small', { server: server.url, name: fresh() });
    await state.set('kept');
    const before = server.states.stats().limits.valueBytes;
    await assert.rejects(state.set('x'.repeat(2000)), (error: Error) => error.name === 'GlobalStateLimitError' && /valueBytes/.test(error.message));
    assert.equal(await state.get(), 'kept');
    assert.equal(server.states.stats().limits.valueBytes, before + 1);
  });

  test('key length and keys per connection are limits with named errors and counters', async () => {
    const name = fresh();
    await assert.rejects(createGlobalState('k'.repeat(100), 0, { server: server.url, name }).get(), { name: 'GlobalStateLimitError' });
    assert.ok(server.states.stats().limits.keyLength >= 1);
    const token = `many-keys-${name}`; // its own connection
    const reads = Array.from({ length: 25 }, (_, index) => createGlobalState(`key-${index}`, 0, { server: server.url, name, token }).get());
    const results = await Promise.allSettled(reads);
    const refused = results.filter((result) => result.status === 'rejected');
    assert.equal(refused.length, 5);
    assert.ok(refused.every((result) => (result as PromiseRejectedResult).reason.name === 'GlobalStateLimitError'));
    assert.ok(server.states.stats().limits.keysPerConnection >= 5);
  });

  test('a flood of messages hits the rate limit with a named error; the connection stays up', async () => {
    const flooded = await running({ limits: { messagesPerSecond: 50 } });
    try {
      const socket = await rawSocket(flooded.url);
      const replies: { ok: boolean; error?: { name: string } }[] = [];
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if ('id' in frame) replies.push(frame);
      });
      socket.send(JSON.stringify({ op: 'hello', protocol: 1 }));
      for (let id = 0; id < 300; id++) socket.send(JSON.stringify({ id, op: 'read', name: 'flood', key: 'k' }));
      await waitFor('300 replies', () => replies.length, (count) => count === 300);
      const limited = replies.filter((reply) => !reply.ok);
      assert.ok(limited.length >= 200, `${limited.length} of 300 refused`);
      assert.ok(limited.every((reply) => reply.error?.name === 'GlobalStateLimitError'));
      assert.equal(flooded.states.stats().limits.messagesPerSecond, limited.length);
      assert.equal(socket.readyState, WebSocket.OPEN);
      socket.close();
    } finally {
      await flooded.close();
    }
  });

  test('an incompatible protocol version is closed with code 4001 and a reason that says so', async () => {
    const socket = await rawSocket(server.url);
    const closing = closed(socket);
    socket.send(JSON.stringify({ op: 'hello', protocol: 99 }));
    const { code, reason } = await closing;
    assert.equal(code, 4001);
    assert.match(reason, /protocol 99 is not supported; this server speaks 1/);
  });
});

describe('state server security', () => {
  test('a page of another origin is refused at the upgrade; a listed one is let in', async () => {
    const server = await running({ allowOrigins: ['https://good.example'] });
    try {
      await assert.rejects(rawSocket(server.url, { Origin: 'https://evil.example' }), /403/);
      assert.equal(server.states.stats().refusedOrigins, 1);
      const good = await rawSocket(server.url, { Origin: 'https://good.example' });
      good.close();
    } finally {
      await server.close();
    }
    const sameHost = await running();
    try {
      await assert.rejects(rawSocket(sameHost.url, { Origin: 'https://evil.example' }), /403/);
      (await rawSocket(sameHost.url, { Origin: 'http://127.0.0.1:8080' })).close();
    } finally {
      await sameHost.close();
    }
  });

  test('a write refused by authorize() is GlobalStateAccessError, keeps the value, and the connection stays up', async () => {
    const server = await running({
      authorize: ({ op, key, token }) => op === 'read' || (key === 'board' && token === 'admin'),
    });
    try {
      const name = fresh();
      const admin = createGlobalState('board', ['first'], { server: server.url, name, token: 'admin' });
      const visitor = createGlobalState('board', ['first'], { server: server.url, name, token: 'visitor' });
      await admin.set(['first', 'second']);
      await assert.rejects(visitor.update((all) => [...all, 'vandal']), { name: 'GlobalStateAccessError' });
      await assert.rejects(visitor.set([]), { name: 'GlobalStateAccessError' });
      assert.deepEqual(await visitor.get(), ['first', 'second'], 'the visitor still reads: its connection is up');
      assert.equal(server.states.stats().refusedByAuthorize, 2);
    } finally {
      await server.close();
    }
  });

  test('1000 seeded malformed frames each close their connection with 1007; the server keeps serving', { timeout: 60_000 }, async () => {
    const server = await running();
    try {
      const name = fresh();
      const steady = createGlobalState('steady', 0, { server: server.url, name });
      const random = seeded(1234);
      const frames = Array.from({ length: 1000 }, () => malformedFrame(random));
      let done = 0;
      const writes: Promise<number>[] = [];
      // 20 connections at a time, each sending a valid hello (or not) and then one malformed frame.
      await Promise.all(
        Array.from({ length: 20 }, async (_, lane) => {
          for (let index = lane; index < frames.length; index += 20) {
            const socket = await rawSocket(server.url);
            const closing = closed(socket);
            if (index % 2 === 0) socket.send(JSON.stringify({ op: 'hello', protocol: 1 }));
            socket.send(frames[index]);
            const { code } = await closing;
            assert.equal(code, 1007, `frame ${index} ${JSON.stringify(frames[index]).slice(0, 80)}`);
            if (++done % 100 === 0) writes.push(steady.update((n) => n + 1));
          }
        }),
      );
      await Promise.all(writes);
      assert.equal(await steady.get(), 10);
      assert.equal(server.states.stats().malformedFrames, 1000);
    } finally {
      await server.close();
    }
  });
});

/** mulberry32: a small seeded generator, so a failing frame can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frames that break the protocol in different ways (each valid for a hello-less or greeted connection alike). */
function malformedFrame(random: () => number): string | Buffer {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const junk = () => Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
  const kind = Math.floor(random() * 8);
  switch (kind) {
    case 0:
      return junk(); // not JSON (a digit-only junk string is rare; made non-JSON by the brace)
    case 1:
      return `{${junk()}`;
    case 2:
      return JSON.stringify(pick([null, 42, 'text', [1, 2], true]));
    case 3:
      return JSON.stringify({ id: pick([-1, 1.5, 'x', null]), op: 'read', name: 'n', key: 'k' });
    case 4:
      return JSON.stringify({ id: 1, op: pick(['drop', 'eval', '', 7, null]), name: 'n', key: 'k' });
    case 5:
      return JSON.stringify({ id: 1, op: 'commit', name: 'n', key: 'k', values: pick([[], 'v', null]), commitId: 'c1' });
    case 6:
      return JSON.stringify({ id: 1, op: 'commit', name: 'n', key: 'k', values: [1], commitId: pick(['', 'has space', 'x'.repeat(200), 5]) });
    default:
      return Buffer.from(junk());
  }
}
