// The session build in Node, on the same files and WASM threads as the benchmark page's worker, so
// `npm run bench` can set the page's build against it (issue 16: ≤ 1.3×). Node reads the files from
// disk, so only the build (`sessionBuild` in the load's phase profile) is compared, never the load.
// Each build runs in a fresh process, as each page load gets a fresh worker: a second build in the
// same process is several times faster (the WASM heap already holds room for the weights).
// Run: node --import tsx benchmarks/session-build-bench.ts --model small --threads 2 \
//        --page-build fp32=2100,q8=900   (the page's warm-load builds, ms; rows on stdout's last line)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModel } from '../packages/core/src/engine/load-model.ts';
import { NodeRows } from './node-rows.ts';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'small' },
    threads: { type: 'string', default: '1' },
    'page-build': { type: 'string', default: '' },
    repeats: { type: 'string', default: '3' },
    /** Internal: build `once` this dtype in this process and print the build's ms. */
    once: { type: 'string' },
  },
});
const modelDir = fileURLToPath(new URL(`../models/${args.model}/`, import.meta.url));
const numThreads = Number(args.threads);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const rows = new NodeRows();

/** One build of `dtype` in this process (the first, as a fresh worker's is): its sessionBuild ms. */
async function buildOnce(dtype: string): Promise<number> {
  const model = await loadModel({ model: modelDir, device: 'wasm', dtype: dtype as 'fp32', numThreads, profile: true });
  await model.decoder.release();
  return model.loadPhases?.phases.sessionBuild?.ms ?? Number.NaN;
}

if (args.once) {
  console.log(await buildOnce(args.once));
  process.exit(0);
}

const script = fileURLToPath(import.meta.url);
for (const entry of args['page-build'].split(',').filter(Boolean)) {
  const [dtype, pageMs] = [entry.split('=')[0], Number(entry.split('=')[1])];
  const builds: number[] = [];
  for (let i = 0; i < Number(args.repeats); i++) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, '--model', args.model, '--threads', args.threads, '--once', dtype], { encoding: 'utf8' });
    builds.push(Number(output.trim().split('\n').at(-1)));
  }
  const nodeMs = median(builds);
  const ratio = pageMs / nodeMs;
  console.error(`session build ${dtype}: page ${pageMs.toFixed(0)} ms, Node (a fresh process each) ${builds.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  rows.add(`${dtype} wasm: session build, Chromium worker ÷ Node (${numThreads} WASM threads, same files, a fresh worker or process each)`, `${pageMs.toFixed(0)} / ${nodeMs.toFixed(0)} ms`, {
    ratio: `${ratio.toFixed(2)}×`,
    target: '≤ 1.3×',
    met: ratio <= 1.3 ? 'yes' : 'NO',
  });
}
rows.print();
