// Global state across tabs: how long a set() takes to reach another tab's subscriber, and how many
// contended update()s per second eight tabs commit together. The "tabs" are same-origin frames of
// this page (state-tab.html), each with its own copy of the bundle and its own store connection;
// they share this page's renderer thread, as tabs of one site often share a process.
import { percentile } from './stats.js';

async function openTabs(count) {
  const frames = Array.from({ length: count }, () => {
    const frame = document.createElement('iframe');
    frame.src = new URL('./state-tab.html', import.meta.url).href;
    frame.className = 'state-tab';
    frame.title = 'global-state benchmark tab';
    document.body.append(frame);
    return frame;
  });
  await Promise.all(
    frames.map(
      (frame) =>
        new Promise((resolve, reject) => {
          const started = performance.now();
          const poll = () => {
            if (frame.contentWindow?.stateTab) return resolve();
            if (performance.now() - started > 30_000) return reject(new Error('a global-state tab did not start in 30 s'));
            setTimeout(poll, 20);
          };
          poll();
        }),
    ),
  );
  return { tabs: frames.map((frame) => frame.contentWindow.stateTab), close: () => frames.forEach((frame) => frame.remove()) };
}

/**
 * @param {{ samples: number, warmup: number, contendMs: number, tabs: number, log: (m: string) => void }} options
 */
export async function benchmarkGlobalState({ samples = 100, warmup = 10, contendMs = 2000, tabs: tabCount = 8, log = () => {} }) {
  const name = `bench-${crypto.randomUUID()}`; // a fresh store namespace: nothing left from earlier runs
  const { tabs, close } = await openTabs(tabCount);
  try {
    // Latency: tab 0 sets, tab 1's subscriber sees it; the next set waits for the arrival.
    log(`global state: set → other tab's subscriber, ${samples} samples`);
    const arrivals = new Map();
    const transport = await tabs[1].listen('latency', name, (seq, ms) => arrivals.get(seq)?.(ms));
    const latencies = [];
    for (let seq = 0; seq < warmup + samples; seq++) {
      const arrived = new Promise((resolve) => arrivals.set(seq, resolve));
      await tabs[0].send('latency', name, seq);
      const ms = await arrived;
      if (seq >= warmup) latencies.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const sorted = [...latencies].sort((a, b) => a - b);

    // Throughput: every tab runs update(n => n + 1) back to back for contendMs.
    log(`global state: ${tabCount} tabs contending with update() for ${contendMs} ms`);
    const start = tabs[0].now() + 100; // every tab connected and waiting before the first update
    const counts = await Promise.all(tabs.map((tab) => tab.contend('counter', name, start, start + contendMs)));
    const elapsedMs = tabs[0].now() - start;
    const committed = counts.reduce((a, b) => a + b, 0);
    const final = await tabs[0].read('counter', name, 0);
    return {
      transport,
      tabs: tabCount,
      latency: { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), samples: sorted.length, samplesMs: latencies },
      contention: { updatesPerSecond: committed / (elapsedMs / 1000), committed, perTab: counts, finalValue: final, lostUpdates: committed - final, elapsedMs },
    };
  } finally {
    close();
  }
}
