// `npm run bench`: the benchmark page in headless Chromium (WASM with threads), then the table.
//
//   npm run bench                                   small model, fp32 and q8, full run (about 10 min)
//   npm run bench -- --model tiny --quick           a quick look (no memory part)
//   npm run bench -- --dtype q8 --engine tabwise     one dtype, one engine
//   npm run bench -- --profile                      only the phase profile (Node, WASM): load, turn 1, turn 10
//   npm run bench -- --profile-page --engine tabwise --dtype fp32 --quick --no-memory …
//                                                   the page run with tabwise's worker profiled, its tables printed
//
// Options: --model tiny|small|<hub id>  --dtype fp32,q8  --device wasm  --engine tabwise,transformers
//          --profile  --profile-page  --quick  --memory / --no-memory  --no-global-state  --no-state-server  --no-batching  --no-sharing  --no-webgpu-check  --webgpu-model tiny
//          --out <file.json>
// WebGPU runs through SwiftShader here (on the CPU), so it is only checked for working, never timed,
// and on the tiny model by default (SwiftShader takes about 30 s a token of 'small').
// Targets are reported, never asserted: the exit status is 0 whenever the page finished.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium } from '../scripts/chromium.js';
import { startServer } from '../scripts/server.js';
import { measureReadBandwidth } from './bandwidth.js';
import { onnxFiles } from './model-source.js';
import { phaseTable } from './phase-table.js';
import { markdownTable } from './report.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'small' },
    dtype: { type: 'string', default: 'fp32,q8' },
    device: { type: 'string', default: 'wasm' },
    engine: { type: 'string', default: 'tabwise,transformers' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-page': { type: 'boolean', default: false },
    memory: { type: 'boolean' },
    'no-memory': { type: 'boolean', default: false },
    'no-global-state': { type: 'boolean', default: false },
    'no-state-server': { type: 'boolean', default: false },
    'no-batching': { type: 'boolean', default: false },
    'no-sharing': { type: 'boolean', default: false },
    'no-webgpu-check': { type: 'boolean', default: false },
    'webgpu-model': { type: 'string', default: 'tiny' },
    out: { type: 'string' },
    'timeout-minutes': { type: 'string', default: '40' },
  },
});

const generated = /^[\w.-]+$/.test(args.model);
if (!existsSync(join(root, 'packages/elements/dist/tabwise.js'))) fail('packages/elements/dist/tabwise.js is missing: run `npm run build` first.');
if (!existsSync(join(root, 'node_modules/@huggingface/transformers/dist/transformers.min.js')) && args.engine.includes('transformers')) {
  fail('@huggingface/transformers is not installed: run `npm ci` (or `npm install`) at the repository root.');
}
// The generated models this run needs, made once (about ten seconds for 'small').
const needed = [args.model, ...(args['no-webgpu-check'] ? [] : [args['webgpu-model']])].filter((m) => /^[\w.-]+$/.test(m));
if (needed.length) execFileSync(process.execPath, [join(root, 'scripts/ensure-models.js'), ...new Set(needed)], { cwd: root, stdio: 'inherit' });
if (args.profile) {
  // The phase profile alone: where a load and a chat turn spend their time (tables on stderr).
  const dtypeArgs = ['--model', args.model, '--dtype', args.dtype, ...(args.quick ? ['--repeats', '1', '--positions', '100,500,1000'] : [])];
  console.log(`phase profile of ${args.model} (${args.dtype}), WASM in Node …`);
  if (!generated) fail('--profile needs a generated model (--model tiny or small)');
  console.log(markdownTable(nodeRows('phase-profile-bench.ts', dtypeArgs)));
  process.exit(0);
}
const executablePath = findChromium({ install: true });
if (!executablePath) process.exit(1);

const loadBefore = os.loadavg();
if (loadBefore[0] > os.cpus().length * 0.75) {
  console.warn(`warning: load average ${loadBefore[0].toFixed(1)} on ${os.cpus().length} cores; other work will slow every engine down`);
}
console.log('measuring memory read bandwidth …');
const bandwidth = measureReadBandwidth();
console.log(`memory read bandwidth: ${bandwidth.gbPerSecond.toFixed(1)} GB/s (${bandwidth.method})`);

const dtypes = args.dtype.split(',');
const memory = args['no-memory'] ? false : args.memory;
const params = new URLSearchParams({
  model: args.model,
  dtype: args.dtype,
  device: args.device,
  engine: args.engine,
  quick: args.quick ? '1' : '0',
  globalState: args['no-global-state'] ? '0' : '1',
  webgpuCheck: args['no-webgpu-check'] ? '0' : '1',
  webgpuModel: args['webgpu-model'],
  bandwidth: bandwidth.gbPerSecond.toFixed(2),
  run: '1',
});
if (args['profile-page']) params.set('profile', '1');
if (memory !== undefined) params.set('memory', memory ? '1' : '0');

const server = await startServer();
// A profile on disk: an in-memory (incognito) profile has too little Cache API quota for a 500 MB model.
const profile = mkdtempSync(join(os.tmpdir(), 'tabwise-bench-'));
const context = await chromium.launchPersistentContext(profile, { executablePath, args: chromiumArgs, headless: true, viewport: { width: 1280, height: 900 } });
let exitCode = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const started = Date.now();
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('[bench] ')) console.log(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  ${text.slice(8)}`);
    else if (process.env.TABWISE_DEBUG) console.log(`[page ${message.type()}] ${text}`);
    // Expected noise: the page probes for an optional .onnx_data file (404), onnxruntime logs warnings as errors.
    else if (message.type() === 'error' && !/status of 404|onnxruntime/.test(text)) console.log(`[page error] ${text}`);
  });
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  const url = `${server.url}/benchmarks/index.html?${params}`;
  console.log(`running ${url}`);
  await page.goto(url);
  await page.waitForFunction(() => ['done', 'error'].includes(window.benchmark?.state), undefined, {
    timeout: Number(args['timeout-minutes']) * 60_000,
    polling: 1000,
  });
  const benchmark = await page.evaluate(() => ({ ...window.benchmark }));
  if (!args['no-state-server']) benchmark.rows = [...(benchmark.rows ?? []), ...stateServerRows()];
  if (generated) benchmark.rows = [...(benchmark.rows ?? []), ...sessionBuildRows(benchmark.results)];
  if (!args['no-batching'] && generated) benchmark.rows = [...(benchmark.rows ?? []), ...batchingRows()];
  if (!args['no-sharing']) benchmark.rows = [...(benchmark.rows ?? []), ...sharingRows()];
  const browserVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));

  const host = os.hostname();
  const date = new Date().toISOString().slice(0, 10);
  const outFile = args.out ?? join(root, 'benchmarks/results', `${date}-${host}.json`);
  mkdirSync(dirname(outFile), { recursive: true });
  await page.screenshot({ path: outFile.replace(/\.json$/, '.png'), fullPage: true });

  const weightBytes = generated ? Object.fromEntries(dtypes.map((d) => [d, filesBytes(args.model, d)])) : undefined;
  const report = {
    machine: {
      hostname: host,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGB: os.totalmem() / 1e9,
      loadAverageBefore: loadBefore,
      loadAverageAfter: os.loadavg(),
      node: process.version,
      browser: `Chromium ${browserVersion}`,
      bandwidth,
    },
    versions: {
      tabwise: packageVersion('packages/core'),
      onnxruntimeWebForTabwise: packageVersion('node_modules/onnxruntime-web'),
      transformersJs: packageVersion('node_modules/@huggingface/transformers'),
      onnxruntimeWebForTransformersJs: packageVersion('node_modules/@huggingface/transformers/node_modules/onnxruntime-web'),
    },
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    weightBytesOnDisk: weightBytes,
    state: benchmark.state,
    error: benchmark.error,
    rows: benchmark.rows,
    notes: benchmark.notes,
    charts: benchmark.charts,
    results: benchmark.results,
    log: benchmark.log,
  };
  writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');

  console.log('');
  console.log(markdownTable(benchmark.rows));
  console.log('');
  for (const note of benchmark.notes) console.log(note);
  if (args['profile-page']) printPageProfile(benchmark.results);
  console.log(
    `\n${report.machine.cpus} cores (${report.machine.cpuModel}), load average ${loadBefore[0].toFixed(1)} → ${report.machine.loadAverageAfter[0].toFixed(1)}; ` +
      `${report.machine.browser}; WASM threads ${benchmark.results?.meta?.wasmThreads}; transformers.js ${report.versions.transformersJs} ` +
      `in a dedicated worker (onnxruntime-web ${report.versions.onnxruntimeWebForTransformersJs}); tabwise on onnxruntime-web ${report.versions.onnxruntimeWebForTabwise}.`,
  );
  console.log(`results: ${outFile}`);
  if (benchmark.state !== 'done') {
    console.error(`the benchmark page failed: ${benchmark.error}`);
    exitCode = 1;
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);

/** Runs a Node benchmark script (benchmarks/node-rows.ts); its rows are the last line of its stdout. */
function nodeRows(script, scriptArgs = []) {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'benchmarks', script), ...scriptArgs], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

/** The state server rows (Node, localhost; Redis rows when redis-server is installed). */
function stateServerRows() {
  console.log('measuring the state server (memory store, Redis, bare-Redis floor) …');
  return nodeRows('state-server-bench.ts');
}

/** The page worker's session build (each dtype's warm load) against Node's, same files and threads. */
function sessionBuildRows(results) {
  const builds = (results?.runs ?? [])
    .filter((run) => run.engine === 'tabwise' && run.device === 'wasm' && run.warmLoad?.phases?.phases?.sessionBuild)
    .map((run) => `${run.dtype}=${run.warmLoad.phases.phases.sessionBuild.ms.toFixed(1)}`);
  if (!builds.length) return [];
  console.log(`measuring the session build in Node (${results.meta.wasmThreads} WASM threads, as in the page) …`);
  return nodeRows('session-build-bench.ts', ['--model', args.model, '--threads', String(results.meta.wasmThreads), '--page-build', builds.join(',')]);
}

/** The continuous batching rows (Node, fp32 WASM): 4 sessions at once against one alone. */
function batchingRows() {
  console.log('measuring continuous batching in Node (one session alone, then 4 at once) …');
  return nodeRows('batching-bench.ts', ['--model', args.model, ...(args.quick ? ['--rounds', '1', '--tokens', '16'] : [])]);
}

/** The share: 'origin' rows (tabs of one headless Chromium), beside share: 'tab' in the same run. */
function sharingRows() {
  console.log("measuring share: 'origin' beside share: 'tab' (second tab ready, memory of 4 tabs, host close) …");
  return nodeRows('shared-engine-bench.ts', ['--model', generated ? `/models/${args.model}/` : args.model]);
}

/** tabwise's phases inside its engine worker: cold and warm load, turn 1 and turn 10 of the chat. */
function printPageProfile(results) {
  for (const run of results?.runs ?? []) {
    if (run.engine !== 'tabwise' || !run.chat) continue;
    const loads = Object.fromEntries([['cold load', run.coldLoad?.phases], ['warm load', run.warmLoad?.phases]].filter(([, phases]) => phases));
    const [turn1, turn10] = [run.chat[0], run.chat.at(-1)];
    console.log(`\n### tabwise ${run.dtype} ${run.device} in its worker: load (page-side ms: cold ${run.coldLoad?.ms.toFixed(0)}, warm ${run.warmLoad?.ms.toFixed(0)})`);
    console.log(phaseTable(loads));
    console.log(`\n### up to the first token (turn 1: ${turn1.timeToFirstTokenMs.toFixed(0)} ms, turn ${run.chat.length}: ${turn10.timeToFirstTokenMs.toFixed(0)} ms, ratio ${(turn10.timeToFirstTokenMs / turn1.timeToFirstTokenMs).toFixed(2)}×)`);
    console.log(phaseTable({ 'turn 1': turn1.firstTokenPhases, [`turn ${run.chat.length}`]: turn10.firstTokenPhases }));
    console.log('\n### whole turn');
    console.log(phaseTable({ 'turn 1': turn1.phases, [`turn ${run.chat.length}`]: turn10.phases }));
  }
}

function filesBytes(model, dtype) {
  return onnxFiles(dtype)
    .map((file) => join(root, 'models', model, file))
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + statSync(path).size, 0);
}

function packageVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
