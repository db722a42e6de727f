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

interface Row { metric: string; tabwise: string; transformers: string; ratio: string; target: string; met: string }
const rows: Row[] = [];
const row = (metric: string, value: string, ratio = '—', target = '—', met = '—') => rows.push({ metric, tabwise: value, transformers: '—', ratio, target, met });
const log = (line: string) => console.error(line);

/** Decode tokens/s while every session decodes: tokens after the last first token, before the first finish. */
async function decodeRate(engine: Engine, count: number): Promise<number> {
  const times: number[][] = [];
  await Promise.all(
    prompts.slice(0, count).map(async (prompt, i) => {
      const id = `bench-${count}-${i}`;
      engine.openSession(id);
      times[i] = [];
      await engine.reply(id, prompt, { maxNewTokens: tokens, minNewTokens: tokens }, { onToken: () => times[i].push(performance.now()) });
      engine.closeSession(id);
    }),
  );
  const start = Math.max(...times.map((t) => t[0]));
  const end = Math.min(...times.map((t) => t.at(-1)!));
  const decoded = times.reduce((sum, t) => sum + t.filter((at) => at > start && at <= end).length, 0);
  return decoded / ((end - start) / 1000);
}

/** One session's greedy decode straight on the decoder, each step direct or as a batch of one. */
async function stepRate(decoder: OnnxDecoder, batched: boolean): Promise<number> {
  let cache: KvCache = decoder.emptyCache();
  let { logits, cache: prefilled } = await decoder.forward([15496, 11, 703, 389, 345, 30, 50256], cache);
  cache = prefilled;
  const start = performance.now();
  for (let i = 0; i < tokens; i++) {
    const id = argmax(logits);
    const [result] = batched ? await decoder.forwardBatch([{ id, cache }]) : [await decoder.forward([id], cache)];
    ({ logits, cache } = result);
  }
  const seconds = (performance.now() - start) / 1000;
  decoder.disposeCache(cache);
  return tokens / seconds;
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
  const alone: number[] = [];
  const together: number[] = [];
  for (let round = 0; round < rounds; round++) {
    alone.push(await decodeRate(engine, 1));
    together.push(await decodeRate(engine, sessions));
    log(`batching round ${round + 1}: 1 session ${alone.at(-1)!.toFixed(1)} tok/s, ${sessions} sessions ${together.at(-1)!.toFixed(1)} tok/s`);
  }
  const { batching } = engine.memory();
  await engine.dispose();

  const { decoder } = await loadModel({ model: modelDir, device: 'wasm', dtype: 'fp32', numThreads });
  const direct: number[] = [];
  const batchOfOne: number[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(await stepRate(decoder, false));
    batchOfOne.push(await stepRate(decoder, true));
    log(`single session round ${round + 1}: direct ${direct.at(-1)!.toFixed(1)} tok/s, batch of one ${batchOfOne.at(-1)!.toFixed(1)} tok/s`);
  }
  await decoder.release();

  const ratio = median(together) / median(alone);
  const label = `${args.model} fp32, WASM in Node, ${numThreads} thread${numThreads > 1 ? 's' : ''}`;
  row(`Decode tokens/s, 1 session alone (${label})`, median(alone).toFixed(1));
  row(`Aggregate decode tokens/s, ${sessions} sessions at once (largest batch ${batching.largestBatch})`, median(together).toFixed(1), `${ratio.toFixed(2)}×`, '≥ 2.5×', ratio >= 2.5 ? 'yes' : 'no');
  const pathRatio = median(batchOfOne) / median(direct);
  row('One session: batched path (batch of 1) vs direct path, tokens/s', `${median(batchOfOne).toFixed(1)} vs ${median(direct).toFixed(1)}`, `${pathRatio.toFixed(2)}×`, 'alone uses the direct path', '—');
  console.log(JSON.stringify(rows));
}
