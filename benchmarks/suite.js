// The measurements, in the order they run. Page and headless runner both call runSuite(); it never
// touches the DOM except through the global-state frames. Every engine gets the same texts (so the
// same token ids), greedy decoding and the same number of new tokens; times come from inside each
// engine's worker (tabwise's TurnStats; a timing streamer in transformers.js's worker), loads from
// the page (worker start included).
import { TabwiseEngine } from './engines/tabwise-engine.js';
import { TransformersEngine } from './engines/transformers-engine.js';
import { benchmarkGlobalState } from './global-state-bench.js';
import { bytesOf, canMeasureMemory, measureMemory } from './memory.js';
import { kvCacheBytes, modelDimensions, modelSource, weightBytes } from './model-source.js';
import { chatTurns12, memoryPrompt8, prompt32, warmupPrompt8 } from './prompts.js';
import { median } from './stats.js';

export const engineTypes = { tabwise: TabwiseEngine, transformers: TransformersEngine };

export const defaultOptions = Object.freeze({
  model: 'small',
  dtypes: ['fp32', 'q8'],
  devices: ['wasm'],
  engines: ['tabwise', 'transformers'],
  quick: false,
  /** undefined: on in a full run, off in a quick one (each measurement waits about 60 s, see memory.js). */
  memory: undefined,
  globalState: true,
  /** A functional WebGPU check (tabwise, 4 tokens): says whether it works, never how fast. */
  webgpuCheck: false,
  /** The model for that check, when not the benchmarked one (SwiftShader takes about 30 s a token of 'small'). */
  webgpuCheckModel: undefined,
  /** tabwise's phase profile (engine/phase-profile.ts) on its loads and turns; other engines ignore it. */
  profile: false,
});

/** What a run measures; quick runs measure once instead of three times and skip the slow parts. */
export function settingsFor(options) {
  const quick = Boolean(options.quick);
  return {
    repeats: quick ? 1 : 3,
    promptTokens: 32,
    decodeTokens: 64,
    chatTurns: 10,
    chatUserTokens: 12,
    chatReplyTokens: 24,
    memory: options.memory ?? !quick,
    memoryTokens: 500,
    globalStateSamples: quick ? 30 : 100,
    globalStateContendMs: quick ? 1000 : 2000,
    globalStateTabs: 8,
  };
}

/**
 * @param {typeof defaultOptions & { bandwidthGBs?: number }} options
 * @param {{ log?: (message: string) => void, onUpdate?: (results: object) => void }} hooks
 */
export async function runSuite(options, { log = () => {}, onUpdate = () => {} } = {}) {
  const settings = settingsFor(options);
  const source = modelSource(options.model);
  const started = performance.now();
  const results = {
    meta: {
      startedAt: new Date().toISOString(),
      model: options.model,
      modelBaseUrl: source.baseUrl,
      dtypes: options.dtypes,
      devices: options.devices,
      engines: options.engines,
      quick: Boolean(options.quick),
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      // Until tabwise's first load reports the threads it runs on (one in Firefox), what isolation allows.
      wasmThreads: globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
      placement: 'tabwise: its engine worker; transformers.js: a dedicated module worker of the benchmark page (both off the main thread)',
      timing: 'loads: page-side, worker start to ready; first token and decode: inside each engine worker',
      bandwidthGBs: options.bandwidthGBs,
    },
    settings,
    dimensions: await modelDimensions(source).catch(() => undefined),
    runs: [],
    memory: undefined,
    globalState: undefined,
    webgpu: undefined,
    warnings: [],
    errors: [],
  };
  const fail = (where, error) => {
    results.errors.push({ where, name: error?.name, message: String(error?.message ?? error) });
    log(`${where} failed: ${error?.name}: ${error?.message ?? error}`);
  };

  for (const device of options.devices) {
    for (const dtype of options.dtypes) {
      const weights = await weightBytes(source, dtype);
      for (const engineName of options.engines) {
        const run = { engine: engineName, label: engineTypes[engineName].label, dtype, device, weightBytes: weights };
        results.runs.push(run);
        try {
          await measureEngine(engineTypes[engineName], { source, dtype, device, settings, run, results, log, onUpdate, profile: options.profile });
        } catch (error) {
          run.error = String(error?.message ?? error);
          fail(`${run.label} ${dtype} ${device}`, error);
        }
        onUpdate(results);
      }
    }
  }

  if (settings.memory) {
    try {
      results.memory = await measureMemoryGrowth({ source, options, settings, dimensions: results.dimensions, wasmThreads: results.meta.wasmThreads, log });
    } catch (error) {
      fail('memory', error);
    }
    onUpdate(results);
  }

  if (options.globalState) {
    try {
      results.globalState = await benchmarkGlobalState({
        samples: settings.globalStateSamples,
        contendMs: settings.globalStateContendMs,
        tabs: settings.globalStateTabs,
        log,
      });
    } catch (error) {
      fail('global state', error);
    }
    onUpdate(results);
  }

  if (options.webgpuCheck) {
    const checkModel = options.webgpuCheckModel ?? options.model;
    const reference =
      checkModel === options.model ? results.runs.find((r) => r.engine === 'tabwise' && r.dtype === 'fp32' && r.device === 'wasm')?.prompt?.reply : undefined;
    results.webgpu = await checkWebgpu(modelSource(checkModel), reference, log).catch((error) => ({ works: false, reason: String(error?.message ?? error) }));
    results.webgpu.model = checkModel;
    onUpdate(results);
  }

  results.meta.durationMs = performance.now() - started;
  log(`done in ${(results.meta.durationMs / 1000).toFixed(0)} s`);
  return results;
}

/** Cold load, warm load, first token and decode speed, and the 10-turn chat, for one engine. */
async function measureEngine(Engine, { source, dtype, device, settings, run, results, log, onUpdate, profile }) {
  const name = `${Engine.label} ${dtype} ${device}`;
  // Both timed loads have their phases recorded (a load's profile costs nothing measurable), so each
  // can be set against its own floor: the download or cache read plus the session build.
  const threads = results.meta.wasmThreads;
  const timedLoad = async () => {
    const loading = new Engine({ model: source, dtype, device, profile: true, threads });
    try {
      return await loading.load();
    } finally {
      await loading.dispose();
    }
  };
  log(`${name}: cold load (Cache API emptied)`);
  await Engine.clearCache();
  run.coldLoad = await timedLoad();
  // What tabwise runs on here (one thread in Firefox); every engine after it gets the same.
  if (device === 'wasm' && run.coldLoad.threads) results.meta.wasmThreads = run.coldLoad.threads;
  onUpdate(results);
  log(`${name}: warm load (from the Cache API)`);
  run.warmLoad = await timedLoad();
  onUpdate(results);

  const engine = new Engine({ model: source, dtype, device, profile, threads });
  try {
    await engine.load();
    await engine.turn(warmupPrompt8, { maxNewTokens: 8, minNewTokens: 8 }); // JIT and first allocations; not timed

    log(`${name}: ${settings.promptTokens}-token prompt → ${settings.decodeTokens} new tokens, ${settings.repeats}×`);
    const samples = [];
    for (let i = 0; i < settings.repeats; i++) {
      await engine.newConversation();
      samples.push(await engine.turn(prompt32, { maxNewTokens: settings.decodeTokens, minNewTokens: settings.decodeTokens }));
    }
    run.prompt = {
      contextTokens: samples[0].stats.contextTokens,
      newTokens: samples[0].stats.newTokens,
      timeToFirstTokenMs: median(samples.map((s) => s.stats.timeToFirstTokenMs)),
      decodeTokensPerSecond: median(samples.map((s) => s.stats.decodeTokensPerSecond)),
      samples: samples.map((s) => s.stats),
      reply: samples[0].reply,
    };
    expectTokens(results, name, 'prompt', run.prompt.contextTokens, settings.promptTokens + 1);
    expectTokens(results, name, 'new tokens', run.prompt.newTokens, settings.decodeTokens);
    onUpdate(results);

    log(`${name}: ${settings.chatTurns}-turn chat (${settings.chatUserTokens} + ${settings.chatReplyTokens} tokens a turn), ${settings.repeats}×`);
    const chats = [];
    for (let i = 0; i < settings.repeats; i++) {
      await engine.newConversation();
      const turns = [];
      for (const [index, text] of chatTurns12.slice(0, settings.chatTurns).entries()) {
        const { reply, stats } = await engine.turn(text, { maxNewTokens: settings.chatReplyTokens, minNewTokens: settings.chatReplyTokens });
        turns.push({ ...stats, reply });
        // DialoGPT context at turn k: (k−1) × (user + eos + reply + eos) + user + eos.
        const expected = index * (settings.chatUserTokens + settings.chatReplyTokens + 2) + settings.chatUserTokens + 1;
        if (i === 0) expectTokens(results, name, `chat turn ${index + 1} context`, stats.contextTokens, expected);
      }
      chats.push(turns);
      // Each turn's figures are medians over the repeated chats (the same turns, the same replies).
      run.chat = chats[0].map((first, index) => ({
        ...first,
        turn: index + 1,
        timeToFirstTokenMs: median(chats.map((turns) => turns[index].timeToFirstTokenMs)),
        decodeTokensPerSecond: median(chats.map((turns) => turns[index].decodeTokensPerSecond)),
        samplesMs: chats.map((turns) => turns[index].timeToFirstTokenMs),
      }));
      onUpdate(results);
    }
  } finally {
    await engine.dispose();
  }
}

function expectTokens(results, name, what, actual, expected) {
  if (actual !== expected) results.warnings.push(`${name}: ${what} was ${actual} tokens, expected ${expected}`);
}

/**
 * Memory growth over a 500-token reply, every engine and dtype at once (three memory measurements
 * in all, since each one waits out the WASM threads; see memory.js): load all, measure, let each
 * generate 500 tokens in turn, measure; tabwise starts over and generates 500 again, measure. The
 * first growth holds the live KV cache and the WASM heap's high-water mark (it never shrinks); the
 * second shows a leak if there is one.
 */
async function measureMemoryGrowth({ source, options, settings, dimensions, wasmThreads, log }) {
  const device = 'wasm';
  if (!options.devices.includes(device)) return { skipped: 'memory is measured on WASM only' };
  if (!canMeasureMemory()) return { skipped: 'performance.measureUserAgentSpecificMemory() needs a cross-origin isolated page' };
  const entries = [];
  try {
    for (const dtype of options.dtypes) {
      for (const engineName of options.engines) {
        const Engine = engineTypes[engineName];
        const engine = new Engine({ model: source, dtype, device, threads: wasmThreads });
        entries.push({ engine, result: { engine: engineName, label: Engine.label, dtype, device, workerUrl: engine.workerUrl } });
        log(`memory: loading ${Engine.label} ${dtype}`);
        await engine.load();
        await engine.turn(warmupPrompt8, { maxNewTokens: 8, minNewTokens: 8 });
        await engine.newConversation();
      }
    }
    log('memory: measuring before (waits for every worker, about a minute with WASM threads)');
    const before = await measureMemory();
    for (const { engine, result } of entries) {
      log(`memory: ${result.label} ${result.dtype} generates ${settings.memoryTokens} tokens`);
      const turn = await engine.turn(memoryPrompt8, { maxNewTokens: settings.memoryTokens, minNewTokens: settings.memoryTokens });
      result.stats = turn.stats;
      result.cachedPositions = engine.cachedPositions(turn);
    }
    log('memory: measuring after');
    const after = await measureMemory();
    // tabwise again from an empty conversation: a leak grows again, a high-water mark does not.
    // (transformers.js is not repeated: this checks tabwise, and each run costs about 20 s.)
    const again = entries.filter(({ result }) => result.engine === 'tabwise');
    for (const { engine, result } of again) {
      log(`memory: ${result.label} ${result.dtype} starts over and generates ${settings.memoryTokens} tokens again`);
      await engine.newConversation();
      await engine.turn(memoryPrompt8, { maxNewTokens: settings.memoryTokens, minNewTokens: settings.memoryTokens });
    }
    const afterAgain = again.length ? (log('memory: measuring after the second run'), await measureMemory()) : undefined;
    for (const { result } of entries) {
      result.beforeBytes = bytesOf(before, result.workerUrl);
      result.afterBytes = bytesOf(after, result.workerUrl);
      result.growthBytes = result.afterBytes - result.beforeBytes;
      if (afterAgain && result.engine === 'tabwise') {
        result.againBytes = bytesOf(afterAgain, result.workerUrl);
        result.secondGrowthBytes = result.againBytes - result.afterBytes;
      }
      result.kvCacheBytes = dimensions ? kvCacheBytes(dimensions, result.cachedPositions) : undefined;
    }
    return {
      tokens: settings.memoryTokens,
      measureMs: [before.ms, after.ms, afterAgain?.ms],
      before,
      after,
      afterAgain,
      engines: entries.map((e) => e.result),
    };
  } finally {
    for (const { engine } of entries) await engine.dispose().catch(() => {});
  }
}

/** Does tabwise run on WebGPU here? Four greedy tokens, compared with WASM's. Never a speed figure. */
async function checkWebgpu(source, wasmReply, log) {
  if (!('gpu' in navigator)) return { works: false, reason: 'navigator.gpu is missing' };
  if (wasmReply === undefined) {
    // No WASM reply of this model yet: make one (the same four greedy tokens) to compare with.
    const wasm = new TabwiseEngine({ model: source, dtype: 'fp32', device: 'wasm' });
    try {
      await wasm.load();
      wasmReply = (await wasm.turn(prompt32, { maxNewTokens: 4, minNewTokens: 4 })).reply;
    } finally {
      await wasm.dispose();
    }
  }
  log(`webgpu: functional check (tabwise, ${source.spec} fp32, 4 tokens)`);
  const engine = new TabwiseEngine({ model: source, dtype: 'fp32', device: 'webgpu' });
  try {
    const load = await engine.load();
    const { reply, stats } = await engine.turn(prompt32, { maxNewTokens: 4, minNewTokens: 4 });
    return {
      works: load.device === 'webgpu' && stats.newTokens === 4,
      device: load.device,
      tokens: stats.newTokens,
      reply,
      matchesWasm: wasmReply === undefined ? undefined : wasmReply.startsWith(reply),
    };
  } finally {
    await engine.dispose();
  }
}
