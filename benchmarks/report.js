// The comparison table (metric | tabwise | transformers.js | ratio | target | met?) and the roofline,
// built from the suite's results. Plain ESM with no DOM, shared by the page and the Node runner.
// Targets are reported, never asserted: a missed target is a finding, not a failure.
import { kvCacheBytes } from './model-source.js';

export const targets = {
  coldLoad: 'tabwise ≤ 0.15× transformers.js',
  warmLoad: 'tabwise ≤ 0.5× its own cold load and ≤ 0.4× transformers.js',
  loadFloor: '≤ 1.1×',
  firstToken: 'tabwise ≤ 0.9× transformers.js',
  decode: 'tabwise ≥ 1.0× transformers.js',
  chatTurn10: 'tabwise ≤ 0.15× transformers.js and ≤ 1.3× its own turn 1',
  memory: 'growth ≤ 1.25× the live KV cache + 2 MB',
  memoryAgain: 'growth ≤ 0.1× the KV cache + 2 MB (no leak)',
  memoryReady: '≤ 1.2× (tabwise)',
};

/** Measurement noise allowed on top of the memory targets (JS heap churn between measurements). */
const slack = 2e6;

const fmt = {
  s: (ms) => (ms === undefined ? '—' : (ms / 1000).toFixed(2)),
  ms: (ms) => (ms === undefined ? '—' : ms.toFixed(0)),
  rate: (r) => (r === undefined ? '—' : r.toFixed(1)),
  mb: (bytes) => (bytes === undefined ? '—' : (bytes / 1e6).toFixed(1).replace(/^-(0\.0)$/, '$1')),
  ratio: (r) => (r === undefined || !Number.isFinite(r) ? '—' : `${r.toFixed(2)}×`),
  pct: (p) => (p === undefined ? '—' : `${p.toFixed(0)}%`),
};

const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
const met = (ok) => (ok === undefined ? 'n/a' : ok ? 'yes' : 'NO');

/** @returns {{ metric: string, tabwise: string, transformers: string, ratio: string, target: string, met: string }[]} */
export function comparisonRows(results) {
  const rows = [];
  const find = (engine, dtype, device) => results.runs.find((r) => r.engine === engine && r.dtype === dtype && r.device === device);
  for (const device of results.meta.devices) {
    for (const dtype of results.meta.dtypes) {
      const tw = find('tabwise', dtype, device);
      const tf = find('transformers', dtype, device);
      if (!tw && !tf) continue;
      const tag = `${dtype} ${device}`;
      const row = (metric, a, b, format, target = '—', ok = undefined, note = '') => ({
        metric: `${tag}: ${metric}`,
        tabwise: format(a),
        transformers: format(b),
        ratio: fmt.ratio(ratio(a, b)),
        target,
        met: target === '—' ? '—' : met(ok) + note,
      });

      const cold = [tw?.coldLoad?.ms, tf?.coldLoad?.ms];
      rows.push(row('cold load, network → ready (s)', ...cold, fmt.s, targets.coldLoad, ok(ratio(...cold), (r) => r <= 0.15)));
      const warm = [tw?.warmLoad?.ms, tf?.warmLoad?.ms];
      const ownWarm = ratio(tw?.warmLoad?.ms, tw?.coldLoad?.ms);
      const warmOk = ownWarm === undefined || ratio(...warm) === undefined ? undefined : ownWarm <= 0.5 && ratio(...warm) <= 0.4;
      rows.push(row('warm load, Cache API → ready (s)', ...warm, fmt.s, targets.warmLoad, warmOk, ownNote(ownWarm, 'of cold')));
      rows.push(loadFloorRow(tag, 'cold load ÷ (download + session build), same load', tw?.coldLoad, 'download'));
      rows.push(loadFloorRow(tag, 'warm load ÷ (Cache API read + session build), same load', tw?.warmLoad, 'cacheRead'));
      const firstToken = [tw?.prompt?.timeToFirstTokenMs, tf?.prompt?.timeToFirstTokenMs];
      rows.push(row('first token, 32-token prompt (ms)', ...firstToken, fmt.ms, targets.firstToken, ok(ratio(...firstToken), (r) => r <= 0.9)));
      const decode = [tw?.prompt?.decodeTokensPerSecond, tf?.prompt?.decodeTokensPerSecond];
      rows.push(row('decode, 64 new tokens (tokens/s)', ...decode, fmt.rate, targets.decode, ok(ratio(...decode), (r) => r >= 1.0)));
      const turn = (run, n) => run?.chat?.find((t) => t.turn === n)?.timeToFirstTokenMs;
      const lastTurn = Math.max(0, ...(tw?.chat ?? tf?.chat ?? []).map((t) => t.turn));
      rows.push(row('chat turn 1, first token (ms)', turn(tw, 1), turn(tf, 1), fmt.ms));
      if (lastTurn > 1) {
        const last = [turn(tw, lastTurn), turn(tf, lastTurn)];
        const own = ratio(last[0], turn(tw, 1));
        const both = ratio(...last) === undefined || own === undefined ? undefined : ratio(...last) <= 0.15 && own <= 1.3;
        rows.push(row(`chat turn ${lastTurn}, first token (ms)`, ...last, fmt.ms, targets.chatTurn10, both, ownNote(own, 'of turn 1')));
      }
      const memory = results.memory?.engines;
      if (memory && device === 'wasm') {
        const mTw = memory.find((m) => m.engine === 'tabwise' && m.dtype === dtype);
        const mTf = memory.find((m) => m.engine === 'transformers' && m.dtype === dtype);
        const kv = mTw?.kvCacheBytes;
        const okMemory = mTw?.growthBytes === undefined || kv === undefined ? undefined : mTw.growthBytes <= 1.25 * kv + slack;
        rows.push({
          metric: `${tag}: memory growth over ${results.memory.tokens} tokens (MB)`,
          tabwise: fmt.mb(mTw?.growthBytes),
          transformers: fmt.mb(mTf?.growthBytes),
          ratio: '—',
          target: `${targets.memory} (${fmt.mb(kv)} MB)`,
          met: met(okMemory),
        });
        rows.push(memoryReadyRow(tag, mTw, mTf, tw?.weightBytes));
        if (mTw?.secondGrowthBytes !== undefined || mTf?.secondGrowthBytes !== undefined) {
          const okAgain = mTw?.secondGrowthBytes === undefined || kv === undefined ? undefined : mTw.secondGrowthBytes <= 0.1 * kv + slack;
          rows.push({
            metric: `${tag}: memory growth, another ${results.memory.tokens} after starting over (MB)`,
            tabwise: fmt.mb(mTw?.secondGrowthBytes),
            transformers: fmt.mb(mTf?.secondGrowthBytes),
            ratio: '—',
            target: targets.memoryAgain,
            met: met(okAgain),
          });
        }
      }
      const roof = roofline(results, tw ?? tf);
      if (roof) {
        rows.push({
          metric: `${tag}: decode as % of the bandwidth ceiling (${roof.ceiling.toFixed(0)} tokens/s)`,
          tabwise: fmt.pct(percentOf(decode[0], roof.ceiling)),
          transformers: fmt.pct(percentOf(decode[1], roof.ceiling)),
          ratio: '—',
          target: '—',
          met: '—',
        });
      }
    }
  }
  const state = results.globalState;
  if (state) {
    const dash = { transformers: '—', ratio: '—', target: '—', met: '—' };
    rows.push({ metric: `global state: set → other tab's subscriber p50 (ms, ${state.transport})`, tabwise: state.latency.p50Ms.toFixed(2), ...dash });
    rows.push({ metric: `global state: set → other tab's subscriber p99 (ms, ${state.transport})`, tabwise: state.latency.p99Ms.toFixed(2), ...dash });
    rows.push({
      metric: `global state: contended update()s/s, ${state.tabs} tabs${state.contention.lostUpdates ? ` (${state.contention.lostUpdates} LOST)` : ''}`,
      tabwise: state.contention.updatesPerSecond.toFixed(0),
      ...dash,
    });
  }
  return rows;
}

/**
 * A load set against its own floor (issue 16): the wall time of its file phase (`download` cold,
 * `cacheRead` warm) plus its session build, both from the same load's phase profile. What is left
 * is worker start, the runtime's start, Cache API writes the load waited for, and messaging.
 */
function loadFloorRow(tag, metric, load, filesPhase) {
  const phases = load?.phases?.phases;
  const floorMs = phases?.[filesPhase] && phases.sessionBuild ? phases[filesPhase].ms + phases.sessionBuild.ms : undefined;
  const value = ratio(load?.ms, floorMs);
  return {
    metric: `${tag}: ${metric}`,
    tabwise: floorMs === undefined ? '—' : `${fmt.s(load.ms)} / (${fmt.s(phases[filesPhase].ms)} + ${fmt.s(phases.sessionBuild.ms)}) s`,
    transformers: '—',
    ratio: fmt.ratio(value),
    target: targets.loadFloor,
    met: met(ok(value, (r) => r <= 1.1)),
  };
}

/** Each engine's worker memory once ready (the first memory measurement) ÷ the weights' bytes. */
function memoryReadyRow(tag, mTw, mTf, weights) {
  const cell = (m) => (m?.beforeBytes === undefined || !weights ? '—' : `${fmt.ratio(m.beforeBytes / weights)} (${fmt.mb(m.beforeBytes)} / ${fmt.mb(weights)} MB)`);
  return {
    metric: `${tag}: engine worker's memory, ready and warmed up (8 tokens), ÷ weight bytes`,
    tabwise: cell(mTw),
    transformers: cell(mTf),
    ratio: '—',
    target: targets.memoryReady,
    met: met(mTw?.beforeBytes === undefined || !weights ? undefined : mTw.beforeBytes / weights <= 1.2),
  };
}

function ok(value, test) {
  return value === undefined ? undefined : test(value);
}

function ownNote(value, what) {
  return value === undefined ? '' : ` (${fmt.ratio(value)} ${what})`;
}

function percentOf(rate, ceiling) {
  return rate === undefined ? undefined : (100 * rate) / ceiling;
}

/** Bytes read per decode step, and the tokens/s the measured bandwidth allows at most. */
export function roofline(results, run) {
  const bandwidth = results.meta.bandwidthGBs;
  if (!bandwidth || !run?.weightBytes) return undefined;
  return { weightBytes: run.weightBytes, bandwidthGBs: bandwidth, ceiling: (bandwidth * 1e9) / run.weightBytes };
}

/** Lines under the table: roofline inputs, WebGPU, global-state transport, warnings. */
export function notes(results) {
  const lines = [];
  for (const dtype of results.meta.dtypes) {
    const run = results.runs.find((r) => r.dtype === dtype && r.weightBytes);
    const roof = roofline(results, run);
    if (!roof) continue;
    const rates = results.runs
      .filter((r) => r.dtype === dtype && r.prompt)
      .map((r) => `${r.label} ${r.prompt.decodeTokensPerSecond.toFixed(1)} tokens/s = ${((100 * r.prompt.decodeTokensPerSecond) / roof.ceiling).toFixed(0)}%`);
    lines.push(
      `roofline ${dtype}: ${(roof.weightBytes / 1e6).toFixed(1)} MB of weights read per decode step; ` +
        `memory read bandwidth ${roof.bandwidthGBs.toFixed(1)} GB/s → at most ${roof.ceiling.toFixed(1)} tokens/s; ${rates.join(', ')}`,
    );
  }
  for (const dtype of results.meta.dtypes) {
    const parts = results.runs
      .filter((r) => r.dtype === dtype && r.coldLoad?.filesMs !== undefined && r.warmLoad?.filesMs !== undefined)
      .map((r) => {
        const split = (load) => `${fmt.s(load.filesMs)} + ${fmt.s(load.ms - load.filesMs)} s`;
        return `${r.label} cold ${split(r.coldLoad)}, warm ${split(r.warmLoad)}`;
      });
    if (parts.length) lines.push(`load ${dtype}, files + the rest (session building; tabwise's Cache API write too): ${parts.join('; ')}`);
  }
  if (results.dimensions && results.memory?.engines) {
    const kv = kvCacheBytes(results.dimensions, 1);
    lines.push(`KV cache: ${(kv / 1024).toFixed(0)} KiB per position (float32, ${results.dimensions.layers} layers × key and value × ${results.dimensions.width}); memory by performance.measureUserAgentSpecificMemory(), per worker`);
  }
  if (results.webgpu) {
    const w = results.webgpu;
    lines.push(
      w.works
        ? `webgpu works: yes, ${w.tokens} tokens${w.matchesWasm === undefined ? '' : `, same greedy text as WASM: ${w.matchesWasm ? 'yes' : 'no'}`} (functional check only, not a speed figure)`
        : `webgpu works: no (${w.reason ?? `ran on ${w.device}`})`,
    );
  }
  const chats = results.runs.filter((r) => r.chat?.length);
  for (const dtype of results.meta.dtypes) {
    const [a, b] = ['tabwise', 'transformers'].map((e) => chats.find((r) => r.engine === e && r.dtype === dtype && r.device === 'wasm'));
    if (!a || !b) continue;
    const same = a.chat.filter((t, i) => b.chat[i] && t.reply === b.chat[i].reply).length;
    lines.push(`greedy replies ${dtype}: ${same}/${a.chat.length} chat turns identical between the engines`);
  }
  for (const warning of results.warnings ?? []) lines.push(`warning: ${warning}`);
  for (const error of results.errors ?? []) lines.push(`error: ${error.where}: ${error.name ?? 'Error'}: ${error.message}`);
  return lines;
}

/** The rows as a Markdown table (what the runner prints and the README shows). */
export function markdownTable(rows) {
  const header = ['metric', 'tabwise', 'transformers.js', 'ratio', 'target', 'met?'];
  const cells = rows.map((r) => [r.metric, r.tabwise, r.transformers, r.ratio, r.target, r.met]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => (i === 0 || i === 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i === 4 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}
