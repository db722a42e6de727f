// `npm run bench -- --profile`: where a load and a chat turn spend their time, phase by phase
// (engine/phase-profile.ts), in Node on onnxruntime-web's WASM build. It loads each dtype with the
// profile on, runs the benchmark's 10-turn chat (12-token user turns, 24-token replies, greedy) and
// prints the load's phases and turn 1's and turn 10's, up to the first token and for the whole turn;
// then what one decode step's KV copies cost at 100, 500 and 1000 positions.
// Run: node --import tsx benchmarks/phase-profile-bench.ts [--model small] [--dtype fp32,q8]
//      (tables on stderr, rows as JSON on the last line of stdout)
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine, type TurnStats } from '../packages/core/src/engine/engine.ts';
import { loadModel } from '../packages/core/src/engine/load-model.ts';
import type { KvCache } from '../packages/core/src/engine/onnx-runtime.ts';
import type { Phase, PhaseTimes } from '../packages/core/src/engine/phase-profile.ts';
import { NodeRows } from './node-rows.ts';
import { phaseTable } from './phase-table.js';
import { chatTurns12, warmupPrompt8 } from './prompts.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'small' },
    dtype: { type: 'string', default: 'fp32,q8' },
    threads: { type: 'string', default: '1' },
    positions: { type: 'string', default: '100,500,1000' },
    repeats: { type: 'string', default: '2' },
  },
});
const modelDir = fileURLToPath(new URL(`../models/${args.model}/`, import.meta.url));
const numThreads = Number(args.threads);
const repeats = Number(args.repeats);
const rows = new NodeRows();
const log = (line = '') => console.error(line);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** The 10-turn chat of the benchmark page, each turn's stats. */
async function chat(engine: Engine, id: string): Promise<TurnStats[]> {
  engine.openSession(id);
  const stats: TurnStats[] = [];
  for (const text of chatTurns12) stats.push((await engine.reply(id, text, { maxNewTokens: 24, minNewTokens: 24 }, { onToken: () => {} })).stats);
  engine.closeSession(id);
  return stats;
}

/** One decode step's copy spans on top of a cache of `positions`, the median of a few steps. */
async function copiesAt(dtype: string, positions: number[]): Promise<Record<number, { feedsIn: number; run: number; outputsOut: number; mb: number }>> {
  const model = await loadModel({ model: modelDir, device: 'wasm', dtype: dtype as 'fp32', numThreads, profile: true });
  const { decoder, profile, config } = model;
  const result: Record<number, { feedsIn: number; run: number; outputsOut: number; mb: number }> = {};
  for (const P of positions) {
    let cache: KvCache = decoder.emptyCache();
    for (let offset = 0; offset < P; offset += 128) {
      const ids = Array.from({ length: Math.min(128, P - offset) }, (_, i) => (offset + i) % 50000);
      cache = (await decoder.forward(ids, cache)).cache;
    }
    const steps: PhaseTimes[] = [];
    for (let i = 0; i < 5; i++) {
      const window = profile.begin()!;
      cache = (await decoder.forward([i + 1], cache)).cache;
      steps.push(window.end());
    }
    decoder.disposeCache(cache);
    const ms = (phase: Phase) => median(steps.map((step) => step.phases[phase]?.ms ?? 0));
    const bytesPerPosition = 2 * config.numLayers * config.numHeads * config.headSize * 4;
    result[P] = { feedsIn: ms('feedsIn'), run: ms('run'), outputsOut: ms('outputsOut'), mb: (P * bytesPerPosition) / 1e6 };
  }
  await decoder.release();
  return result;
}

for (const dtype of args.dtype.split(',')) {
  const engine = await Engine.load({ model: modelDir, device: 'wasm', dtype: dtype as 'fp32', numThreads, profile: true });
  const load = engine.profile().load!;
  engine.openSession('warm-up');
  await engine.reply('warm-up', warmupPrompt8, { maxNewTokens: 8, minNewTokens: 8 }); // JIT and first allocations
  engine.closeSession('warm-up');
  const runs: TurnStats[][] = [];
  for (let r = 0; r < repeats; r++) runs.push(await chat(engine, `chat-${r}`));
  await engine.dispose();
  // The run whose turn-10 ÷ turn-1 first token is the median, so the tables show one real run.
  const ratioOf = (run: TurnStats[]) => run[9].timeToFirstTokenMs / run[0].timeToFirstTokenMs;
  const run = [...runs].sort((a, b) => ratioOf(a) - ratioOf(b))[runs.length >> 1];
  const [turn1, turn10] = [run[0], run[9]];
  log(`\n### ${args.model} ${dtype}, WASM in Node, ${numThreads} thread(s): load`);
  log(phaseTable({ load }));
  log(`\n### ${args.model} ${dtype}: up to the first token (turn 1: ${turn1.promptTokens} ids on ${turn1.contextTokens - turn1.promptTokens}; turn 10: ${turn10.promptTokens} ids on ${turn10.contextTokens - turn10.promptTokens})`);
  log(phaseTable({ 'turn 1': turn1.firstTokenPhases!, 'turn 10': turn10.firstTokenPhases! }));
  log(`\n### ${args.model} ${dtype}: whole turn (${turn1.newTokens} new tokens)`);
  log(phaseTable({ 'turn 1': turn1.phases!, 'turn 10': turn10.phases! }));
  const ratios = runs.map(ratioOf);
  const ratio = median(ratios);
  log(`first token turn 10 ÷ turn 1, each run: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  const label = `${args.model} ${dtype}, WASM in Node, profile on`;
  rows.add(`Load: session build of load total, ms (${label})`, `${load.phases.sessionBuild?.ms.toFixed(0)} of ${load.totalMs.toFixed(0)}`);
  rows.add(`First token, turn 10 ÷ turn 1, ms (${label})`, `${median(runs.map((r) => r[9].timeToFirstTokenMs)).toFixed(0)} vs ${median(runs.map((r) => r[0].timeToFirstTokenMs)).toFixed(0)}`, {
    ratio: `${ratio.toFixed(2)}×`,
    target: '≤ 1.3×',
    met: ratio <= 1.3 ? 'yes' : 'no',
  });

  const positions = args.positions.split(',').map(Number).filter(Boolean);
  if (positions.length) {
    const copies = await copiesAt(dtype, positions);
    log(`\n### ${args.model} ${dtype}: one decode step on a cache of P positions (median of 5 steps)`);
    log('| P | KV past, MB | feeds in, ms | run, ms | outputs out, ms |');
    log('| ---: | ---: | ---: | ---: | ---: |');
    for (const P of positions) {
      const c = copies[P];
      log(`| ${P} | ${c.mb.toFixed(1)} | ${c.feedsIn.toFixed(2)} | ${c.run.toFixed(2)} | ${c.outputsOut.toFixed(2)} |`);
      rows.add(`KV copies of one decode step at ${P} positions, in + out ms (${label})`, `${c.feedsIn.toFixed(1)} + ${c.outputsOut.toFixed(1)} (run ${c.run.toFixed(1)})`);
    }
  }
}
rows.print();
