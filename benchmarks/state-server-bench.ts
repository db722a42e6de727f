// `npm run bench` rows for the state server, on localhost: set → another client's subscriber p50/p99
// and contended update()s/s with 8 clients, for the memory store and for Redis, beside the floor: the
// same compare-and-set loop by bare Redis clients (WATCH/MULTI/EXEC), with no tabwise in between.
// Run: node --import tsx benchmarks/state-server-bench.ts [--seconds 3]   (prints rows as JSON on the last line)
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { createGlobalState } from '../packages/core/src/state/create-global-state.ts';
import { closeServerConnections } from '../packages/core/src/state/server/server-store-clients.ts';
import { createStateServer, MemoryStore, RedisStore, type StateStore } from '../packages/server/src/index.ts';
import { findRedisServer, startRedis } from '../tests/support/redis.ts';
import { NodeRows } from './node-rows.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, samples: { type: 'string', default: '500' } } });
const seconds = Number(args.seconds);
const samples = Number(args.samples);
const clients = 8;
const noLimits = { messagesPerSecond: 1e9 };

const rows = new NodeRows();
let run = 0;

async function withServer<T>(store: StateStore, body: (url: string) => Promise<T>): Promise<T> {
  const httpServer = http.createServer();
  const states = createStateServer({ store, server: httpServer, limits: noLimits });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  try {
    return await body(`ws://127.0.0.1:${(httpServer.address() as { port: number }).port}/tabwise-state`);
  } finally {
    closeServerConnections();
    await states.close();
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One writer sets 0, 1, 2, …; another connection's subscriber timestamps each arrival. */
async function latency(url: string) {
  const name = `bench-${run++}`;
  const writer = createGlobalState('latency', -1, { server: url, name, token: 'writer' });
  const reader = createGlobalState('latency', -1, { server: url, name, token: 'reader' });
  let waiting: { value: number; resolve: () => void } | undefined;
  reader.subscribe((value) => {
    if (waiting && value === waiting.value) waiting.resolve();
  });
  await reader.get();
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const arrived = new Promise<void>((resolve) => (waiting = { value: i, resolve }));
    const start = performance.now();
    void writer.set(i);
    await arrived;
    if (i >= 20) times.push(performance.now() - start); // the first ones warm the JIT
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** 8 clients, each its own WebSocket, each looping update(n => n + 1) for `seconds`. */
async function contention(url: string) {
  const name = `bench-${run++}`;
  const states = Array.from({ length: clients }, (_, index) => createGlobalState('count', 0, { server: url, name, token: `client-${index}` }));
  await Promise.all(states.map((state) => state.get()));
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const done = await Promise.all(
    states.map(async (state) => {
      let count = 0;
      while (performance.now() < end) {
        await state.update((n) => n + 1);
        count++;
      }
      return count;
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const total = done.reduce((a, b) => a + b, 0);
  const final = await states[0].get();
  return { perSecond: total / elapsed, lost: total - final };
}

/** The floor: the same loop with bare node-redis clients, WATCH/GET/MULTI/SET/EXEC, retried on conflict. */
async function bareRedisFloor(url: string) {
  const connections = await Promise.all(Array.from({ length: clients }, () => createClient({ url }).on('error', () => {}).connect()));
  const key = `bench:bare:${run++}`;
  await connections[0].set(key, '0');
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const done = await Promise.all(
    connections.map(async (redis) => {
      let count = 0;
      while (performance.now() < end) {
        await redis.watch(key);
        const value = Number(await redis.get(key));
        try {
          await redis.multi().set(key, String(value + 1)).exec();
          count++;
        } catch (error) {
          if ((error as Error).constructor.name !== 'WatchError') throw error; // another client committed first: retry
        }
      }
      return count;
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const total = done.reduce((a, b) => a + b, 0);
  const final = Number(await connections[0].get(key));
  await Promise.all(connections.map((redis) => redis.close()));
  return { perSecond: total / elapsed, lost: total - final };
}

function report(label: string, measured: { latency: { p50: number; p99: number }; contention: { perSecond: number; lost: number } }, floor?: number) {
  const { p50, p99 } = measured.latency;
  rows.add(`state server (${label}): set → other client's subscriber p50 (ms)`, p50.toFixed(2), { target: '≤ 2', met: p50 <= 2 ? 'yes' : 'NO' });
  rows.add(`state server (${label}): set → other client's subscriber p99 (ms)`, p99.toFixed(2));
  const { perSecond, lost } = measured.contention;
  const share = floor ? perSecond / floor : undefined;
  rows.add(`state server (${label}): contended update()s/s, ${clients} clients${lost ? ` (${lost} LOST)` : ', 0 lost'}`, perSecond.toFixed(0), {
    target: floor ? '≥ 50% of bare Redis' : '—',
    met: share === undefined ? '—' : `${share >= 0.5 && lost === 0 ? 'yes' : 'NO'} (${(share * 100).toFixed(0)}%)`,
  });
}

console.warn('measuring the memory store …');
const memory = await withServer(new MemoryStore(), async (url) => ({ latency: await latency(url), contention: await contention(url) }));
if (findRedisServer()) {
  const redis = await startRedis();
  try {
    console.warn('measuring bare Redis …');
    const floor = await bareRedisFloor(redis.url);
    console.warn('measuring the Redis store …');
    report('memory', memory, floor.perSecond);
    const store = await RedisStore.connect({ url: redis.url });
    const onRedis = await withServer(store, async (url) => ({ latency: await latency(url), contention: await contention(url) }));
    report('Redis', onRedis, floor.perSecond);
    rows.add(`bare Redis CAS loop (WATCH/MULTI/EXEC), ${clients} clients: commits/s (the floor)${floor.lost ? ` (${floor.lost} LOST)` : ''}`, floor.perSecond.toFixed(0));
  } finally {
    await redis.stop();
  }
} else {
  report('memory', memory);
  console.warn('redis-server not found (apt-get install -y redis-server): no Redis rows');
}
rows.print();
