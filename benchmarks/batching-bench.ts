// `npm run bench` rows for continuous batching, in Node on onnxruntime-web's WASM build: aggregate
// decode tokens/s of 4 sessions generating at once against one session alone (same engine, same
// run), and one session's step on the batched path (a batch of 1) against the direct path.
// Run: node --import tsx benchmarks/batching-bench.ts [--model small] [--tokens 48] [--rounds 2]
//      (prints rows as JSON on the last line)
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../packages/core/src/engine/engine.ts';
import { loadModel } from '../packages/core/src/engine/load-model.ts';
import type { KvCache, OnnxDecoder } from '../packages/core/src/engine/onnx-runtime.ts';
import { NodeRows } from './node-rows.ts';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'small' },
    tokens: { type: 'string', default: '48' },
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
  },
});
const modelDir = fileURLToPath(new URL(`../models/${args.model}/`, import.meta.url));
const tokens = Number(args.tokens);
const rounds = Number(args.rounds);
const numThreads = Number(args.threads);
const sessions = 4;
const prompts = ['Hello, how are you?', 'What is the capital of France?', 'Tell me a story about a cat.', 'Do you like music?'];

const rows = new NodeRows();
const log = (line: string) => console.error(line);

/** Milliseconds of this process's CPU time: other work on a busy machine does not count. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface Rate {
  /** Tokens per second of wall time. */
  wall: number;
  /** Tokens per second of this process's CPU time (all its threads). */
  cpu: number;
}

/** Decode tokens/s while every session decodes: tokens after the last first token, before the first finish. */
async function decodeRate(engine: Engine, count: number): Promise<Rate> {
  const stamps: { wall: number; cpu: number }[][] = [];
  await Promise.all(
    prompts.slice(0, count).map(async (prompt, i) => {
      const id = `bench-${count}-${i}`;
      engine.openSession(id);
      stamps[i] = [];
      const onToken = () => stamps[i].push({ wall: performance.now(), cpu: cpuMs() });
      await engine.reply(id, prompt, { maxNewTokens: tokens, minNewTokens: tokens }, { onToken });
      engine.closeSession(id);
    }),
  );
  const rate = (clock: 'wall' | 'cpu') => {
    const start = Math.max(...stamps.map((s) => s[0][clock]));
    const end = Math.min(...stamps.map((s) => s.at(-1)![clock]));
    const decoded = stamps.reduce((sum, s) => sum + s.filter((at) => at[clock] > start && at[clock] <= end).length, 0);
    return decoded / ((end - start) / 1000);
  };
  return { wall: rate('wall'), cpu: rate('cpu') };
}

/** One session's greedy decode straight on the decoder, each step direct or as a batch of one. */
async function stepRate(decoder: OnnxDecoder, batched: boolean): Promise<Rate> {
  let cache: KvCache = decoder.emptyCache();
  let { logits, cache: prefilled } = await decoder.forward([15496, 11, 703, 389, 345, 30, 50256], cache);
  cache = prefilled;
  const start = { wall: performance.now(), cpu: cpuMs() };
  for (let i = 0; i < tokens; i++) {
    const id = argmax(logits);
    const [result] = batched ? await decoder.forwardBatch([{ id, cache }]) : [await decoder.forward([id], cache)];
    ({ logits, cache } = result);
  }
  const rate = { wall: tokens / ((performance.now() - start.wall) / 1000), cpu: tokens / ((cpuMs() - start.cpu) / 1000) };
  decoder.disposeCache(cache);
  return rate;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

{
  const engine = await Engine.load({ model: modelDir, device: 'wasm', dtype: 'fp32', numThreads });
  await decodeRate(engine, 1); // warm-up
  const alone: Rate[] = [];
  const together: Rate[] = [];
  for (let round = 0; round < rounds; round++) {
    alone.push(await decodeRate(engine, 1));
    together.push(await decodeRate(engine, sessions));
    const [a, t] = [alone.at(-1)!, together.at(-1)!];
    log(`batching round ${round + 1}: 1 session ${a.wall.toFixed(1)} tok/s (${a.cpu.toFixed(1)} per CPU-s), ${sessions} sessions ${t.wall.toFixed(1)} tok/s (${t.cpu.toFixed(1)} per CPU-s)`);
  }
  const { batching } = engine.memory();
  await engine.dispose();

  const { decoder } = await loadModel({ model: modelDir, device: 'wasm', dtype: 'fp32', numThreads });
  const direct: Rate[] = [];
  const batchOfOne: Rate[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(await stepRate(decoder, false));
    batchOfOne.push(await stepRate(decoder, true));
    const [d, b] = [direct.at(-1)!, batchOfOne.at(-1)!];
    log(`single session round ${round + 1}: direct ${d.wall.toFixed(1)} tok/s (${d.cpu.toFixed(1)} per CPU-s), batch of one ${b.wall.toFixed(1)} tok/s (${b.cpu.toFixed(1)} per CPU-s)`);
  }
  await decoder.release();

  const rates = (list: Rate[], clock: keyof Rate) => median(list.map((rate) => rate[clock]));
  const ratio = rates(together, 'wall') / rates(alone, 'wall');
  const cpuRatio = rates(together, 'cpu') / rates(alone, 'cpu');
  const label = `${args.model} fp32, WASM in Node, ${numThreads} thread${numThreads > 1 ? 's' : ''}`;
  const both = (list: Rate[]) => `${rates(list, 'wall').toFixed(1)} (${rates(list, 'cpu').toFixed(1)} per CPU-s)`;
  rows.add(`Decode tokens/s, 1 session alone (${label})`, both(alone));
  rows.add(`Aggregate decode tokens/s, ${sessions} sessions at once (largest batch ${batching.largestBatch})`, both(together), {
    ratio: `${ratio.toFixed(2)}× (${cpuRatio.toFixed(2)}× per CPU-s)`,
    target: '≥ 2.5×',
    met: ratio >= 2.5 ? 'yes' : 'no',
  });
  const pathRatio = rates(batchOfOne, 'wall') / rates(direct, 'wall');
  const pathCpuRatio = rates(batchOfOne, 'cpu') / rates(direct, 'cpu');
  rows.add('One session: batched path (a batch of 1) vs direct path, tokens/s', `${both(batchOfOne)} vs ${both(direct)}`, {
    ratio: `${pathRatio.toFixed(2)}× (${pathCpuRatio.toFixed(2)}× per CPU-s)`,
    target: 'alone uses the direct path',
  });
  rows.print();
}
