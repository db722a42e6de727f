// The page's plots, with chart.js (its UMD build, imported as a module: it sets globalThis.Chart).
import '../vendor/chart.js/chart.umd.min.js';
import { roofline } from './report.js';

const { Chart } = globalThis;
const engineColors = { tabwise: '#1f6feb', transformers: '#d97706' };
const dtypeShade = { fp32: 1, q8: 0.55, fp16: 0.75, q4: 0.4 };

function color(engine, dtype = 'fp32') {
  const base = engineColors[engine] ?? '#666666';
  const alpha = Math.round(255 * (dtypeShade[dtype] ?? 0.7)).toString(16).padStart(2, '0');
  return base + alpha;
}

const charts = new Map();

/** Draws (or redraws) one chart into the canvas with id `id`. */
function draw(id, config) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  charts.get(id)?.destroy();
  charts.set(
    id,
    new Chart(canvas, {
      ...config,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: config.title }, legend: { position: 'bottom' } },
        scales: { y: { beginAtZero: true, title: { display: true, text: config.unit } } },
        ...config.options,
      },
    }),
  );
}

/** Bar chart: one group per label, one bar per engine. */
function engineBars(results, labelsFor, valueOf) {
  const groups = [];
  for (const device of results.meta.devices) for (const dtype of results.meta.dtypes) groups.push({ device, dtype });
  const labels = groups.flatMap(({ device, dtype }) => labelsFor.map((l) => `${dtype} ${device}${l ? ` ${l}` : ''}`));
  const datasets = results.meta.engines.map((engine) => ({
    label: results.runs.find((r) => r.engine === engine)?.label ?? engine,
    backgroundColor: color(engine),
    data: groups.flatMap(({ device, dtype }) => {
      const run = results.runs.find((r) => r.engine === engine && r.dtype === dtype && r.device === device);
      return labelsFor.map((l) => (run ? valueOf(run, l) ?? null : null));
    }),
  }));
  return { labels, datasets };
}

export function renderCharts(results) {
  draw('chart-load', {
    type: 'bar',
    title: 'Load: cold (network → ready) and warm (Cache API → ready)',
    unit: 'seconds',
    data: engineBars(results, ['cold', 'warm'], (run, l) => {
      const load = l === 'cold' ? run.coldLoad : run.warmLoad;
      return load ? load.ms / 1000 : undefined;
    }),
  });

  draw('chart-ttft', {
    type: 'bar',
    title: `Time to first token, ${results.settings.promptTokens}-token prompt`,
    unit: 'ms',
    data: engineBars(results, [''], (run) => run.prompt?.timeToFirstTokenMs),
  });

  const decode = engineBars(results, [''], (run) => run.prompt?.decodeTokensPerSecond);
  if (results.meta.bandwidthGBs) {
    decode.datasets.push({
      label: 'bandwidth ceiling',
      backgroundColor: '#9ca3af55',
      data: results.meta.devices.flatMap(() =>
        results.meta.dtypes.map((dtype) => roofline(results, results.runs.find((r) => r.dtype === dtype))?.ceiling ?? null),
      ),
    });
  }
  draw('chart-decode', { type: 'bar', title: `Decode speed, ${results.settings.decodeTokens} new tokens (greedy)`, unit: 'tokens/s', data: decode });

  const chatRuns = results.runs.filter((r) => r.chat?.length);
  const turns = Math.max(0, ...chatRuns.map((r) => r.chat.length));
  draw('chart-chat', {
    type: 'line',
    title: `Chat: time to first token per turn (${results.settings.chatUserTokens} user + ${results.settings.chatReplyTokens} reply tokens a turn)`,
    unit: 'ms',
    data: {
      labels: Array.from({ length: turns }, (_, i) => `turn ${i + 1}`),
      datasets: chatRuns.map((run) => ({
        label: `${run.label} ${run.dtype} ${run.device}${run.engine === 'tabwise' ? ' (session KV cache)' : ' (re-encodes history)'}`,
        borderColor: color(run.engine, run.dtype),
        backgroundColor: color(run.engine, run.dtype),
        borderDash: run.dtype === 'fp32' ? [] : [6, 4],
        data: run.chat.map((t) => t.timeToFirstTokenMs),
      })),
    },
  });

  const memory = results.memory?.engines ?? [];
  draw('chart-memory', {
    type: 'bar',
    title: results.memory?.skipped
      ? `Memory: ${results.memory.skipped}`
      : `Memory growth over ${results.memory?.tokens ?? results.settings.memoryTokens} generated tokens (measureUserAgentSpecificMemory)`,
    unit: 'MB',
    data: {
      labels: memory.map((m) => `${m.label} ${m.dtype}`),
      datasets: [
        { label: 'growth', backgroundColor: memory.map((m) => color(m.engine, m.dtype)), data: memory.map((m) => m.growthBytes / 1e6) },
        { label: 'live KV cache', backgroundColor: '#9ca3af88', data: memory.map((m) => (m.kvCacheBytes ?? 0) / 1e6) },
        { label: 'growth, second run', backgroundColor: '#11182788', data: memory.map((m) => (m.secondGrowthBytes ?? 0) / 1e6) },
      ],
    },
  });

  const state = results.globalState;
  draw('chart-state', {
    type: 'bar',
    title: state
      ? `Global state (${state.transport}): set → other tab's subscriber; ${state.contention.updatesPerSecond.toFixed(0)} contended update()s/s with ${state.tabs} tabs`
      : 'Global state: not measured',
    unit: 'ms',
    data: {
      labels: ['p50', 'p99'],
      datasets: [{ label: 'latency', backgroundColor: color('tabwise'), data: state ? [state.latency.p50Ms, state.latency.p99Ms] : [] }],
    },
  });
}

/** How many charts hold data (for the test and the runner). */
export function chartsWithData() {
  return [...charts.entries()].filter(([, chart]) => chart.data.datasets.some((d) => d.data.some((v) => v !== null && v !== undefined))).map(([id]) => id);
}
