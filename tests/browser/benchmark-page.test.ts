// The benchmark page (benchmarks/index.html) on the tiny model in quick mode: it measures both
// engines, fills the table and draws its charts. No timing is asserted; that is `npm run bench`'s job.
import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';

interface Run {
  engine: string;
  coldLoad?: { ms: number; threads?: number; numThreads?: number };
  warmLoad?: { ms: number };
  prompt?: { timeToFirstTokenMs: number; decodeTokensPerSecond: number; newTokens: number };
  chat?: { timeToFirstTokenMs: number }[];
}

declare global {
  interface Window {
    benchmark: {
      state: string;
      error?: string;
      rows: { metric: string; tabwise: string; transformers: string }[];
      charts: string[];
      results: {
        runs: Run[];
        errors: unknown[];
        warnings: string[];
        globalState?: { latency: { p50Ms: number; p99Ms: number }; contention: { updatesPerSecond: number; lostUpdates: number } };
      };
    };
  }
}

// Quick mode measures no memory (measureUserAgentSpecificMemory is Chromium's) and the WebGPU check
// is off, so the page runs in every engine.
browserSuite('benchmark page', {}, (env) => {
  env.test('the benchmark page measures tabwise and transformers.js on the tiny model and draws its charts', { timeout: 600_000 }, async () => {
    const page = await env.newPage('/benchmarks/index.html?model=tiny&dtype=fp32&device=wasm&quick=1&webgpuCheck=0&run=1');
    await page.waitForFunction(() => ['done', 'error'].includes(window.benchmark?.state), undefined, { what: 'the benchmark page to finish', timeoutMs: 540_000 });
    const benchmark = await page.evaluate(() => {
      const { state, error, rows, charts, results } = window.benchmark;
      // A drawn chart leaves non-transparent pixels on its canvas.
      const painted = [...document.querySelectorAll('canvas')]
        .filter((canvas) => {
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          return data.some((value, i) => i % 4 === 3 && value > 0);
        })
        .map((canvas) => canvas.id);
      return { state, error, rows, charts, painted, runs: results.runs, errors: results.errors, warnings: results.warnings, globalState: results.globalState };
    });

    assert.equal(benchmark.state, 'done', benchmark.error);
    assert.deepEqual(benchmark.errors, []);
    assert.deepEqual(benchmark.warnings, [], 'the prompts tokenize to the intended counts in both engines');
    assert.deepEqual(benchmark.runs.map((run) => run.engine), ['tabwise', 'transformers']);
    // In Firefox both engines run on one WASM thread: tabwise by choice, and transformers.js because
    // the bench asks it for tabwise's count (a thread's nested worker sometimes never starts there).
    // In WebKit transformers.js reports one thread whatever it is asked, so only Firefox is checked.
    if (env.engine === 'firefox') {
      const [tabwise, transformers] = benchmark.runs;
      assert.deepEqual([tabwise.coldLoad?.threads, transformers.coldLoad?.numThreads], [1, 1], 'WASM threads: tabwise, transformers.js');
    }
    for (const run of benchmark.runs) {
      for (const value of [run.coldLoad?.ms, run.warmLoad?.ms, run.prompt?.timeToFirstTokenMs, run.prompt?.decodeTokensPerSecond]) {
        assert.ok(Number.isFinite(value) && value! > 0, `${run.engine}: ${JSON.stringify(run)}`);
      }
      assert.equal(run.prompt?.newTokens, 64);
      assert.equal(run.chat?.length, 10);
      assert.ok(run.chat!.every((turn) => turn.timeToFirstTokenMs > 0));
    }
    assert.ok(benchmark.globalState!.latency.p50Ms >= 0 && benchmark.globalState!.contention.updatesPerSecond > 0);
    assert.equal(benchmark.globalState!.contention.lostUpdates, 0);

    const cold = benchmark.rows.find((row) => row.metric.includes('cold load'));
    assert.match(cold!.tabwise, /^\d+\.\d+$/);
    assert.match(cold!.transformers, /^\d+\.\d+$/);
    for (const chart of ['chart-load', 'chart-ttft', 'chart-decode', 'chart-chat', 'chart-state']) {
      assert.ok(benchmark.charts.includes(chart), `${chart} has data`);
      assert.ok(benchmark.painted.includes(chart), `${chart} is drawn`);
    }
    assert.deepEqual(await page.errors(), []);
  });
});
