// The benchmark page: a form for the options, the suite, and the plots and table it produces.
// URL parameters preset the form (model, dtype, device, engine as comma lists; quick, memory,
// globalState, webgpuCheck as 1/0; bandwidth in GB/s for the roofline) and `run=1` starts at once,
// which is how `npm run bench` drives it. Progress and results are on window.benchmark.
import { chartsWithData, renderCharts } from './charts.js';
import { comparisonRows, notes } from './report.js';
import { defaultOptions, runSuite } from './suite.js';

const form = document.getElementById('options');
const status = document.getElementById('status');
const logView = document.getElementById('log');

const benchmark = { state: 'idle', options: undefined, results: undefined, rows: [], notes: [], log: [], charts: [] };
window.benchmark = benchmark;

function optionsFromUrl() {
  const params = new URLSearchParams(location.search);
  const list = (name, fallback) => (params.get(name) ? params.get(name).split(',').map((s) => s.trim()).filter(Boolean) : fallback);
  const flag = (name, fallback) => (params.has(name) ? params.get(name) !== '0' && params.get(name) !== 'false' : fallback);
  return {
    model: params.get('model') ?? defaultOptions.model,
    dtypes: list('dtype', defaultOptions.dtypes),
    devices: list('device', defaultOptions.devices),
    engines: list('engine', defaultOptions.engines),
    quick: flag('quick', defaultOptions.quick),
    memory: params.has('memory') ? flag('memory') : defaultOptions.memory,
    globalState: flag('globalState', defaultOptions.globalState),
    webgpuCheck: flag('webgpuCheck', defaultOptions.webgpuCheck),
    webgpuCheckModel: params.get('webgpuModel') ?? undefined,
    bandwidthGBs: params.has('bandwidth') ? Number(params.get('bandwidth')) : undefined,
    profile: flag('profile', false),
    autorun: flag('run', false),
  };
}

function fillForm(options) {
  const generated = ['tiny', 'small'].includes(options.model);
  form.querySelector(`input[name=model][value=${generated ? options.model : 'hub'}]`).checked = true;
  if (!generated) form.elements.hubId.value = options.model;
  for (const [name, values] of [['dtype', options.dtypes], ['device', options.devices], ['engine', options.engines]]) {
    for (const box of form.querySelectorAll(`input[name=${name}]`)) box.checked = values.includes(box.value);
  }
  form.elements.quick.checked = options.quick;
  form.elements.memory.checked = options.memory ?? !options.quick;
  form.elements.globalState.checked = options.globalState;
  form.elements.webgpuCheck.checked = options.webgpuCheck;
}

function readForm(previous) {
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);
  const model = form.querySelector('input[name=model]:checked').value;
  return {
    model: model === 'hub' ? form.elements.hubId.value.trim() : model,
    dtypes: checked('dtype'),
    devices: checked('device'),
    engines: checked('engine'),
    quick: form.elements.quick.checked,
    memory: form.elements.memory.checked,
    globalState: form.elements.globalState.checked,
    webgpuCheck: form.elements.webgpuCheck.checked,
    webgpuCheckModel: previous.webgpuCheckModel,
    bandwidthGBs: previous.bandwidthGBs,
  };
}

function log(message) {
  const line = `${(performance.now() / 1000).toFixed(1).padStart(6)} s  ${message}`;
  benchmark.log.push(line);
  logView.textContent += `${line}\n`;
  status.textContent = message;
  console.log(`[bench] ${message}`);
}

function render(results) {
  benchmark.results = results;
  benchmark.rows = comparisonRows(results);
  benchmark.notes = notes(results);
  const body = document.querySelector('#table tbody');
  body.replaceChildren(
    ...benchmark.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const value of [row.metric, row.tabwise, row.transformers, row.ratio, row.target, row.met]) {
        const td = document.createElement('td');
        td.textContent = value;
        tr.append(td);
      }
      tr.lastChild.className = row.met.startsWith('NO') ? 'missed' : row.met.startsWith('yes') ? 'met' : '';
      return tr;
    }),
  );
  document.getElementById('notes').replaceChildren(
    ...benchmark.notes.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
  renderCharts(results);
  benchmark.charts = chartsWithData();
}

async function run(options) {
  benchmark.state = 'running';
  benchmark.options = options;
  benchmark.log = [];
  logView.textContent = '';
  document.body.dataset.state = 'running';
  form.elements.run.disabled = true;
  try {
    if (!options.dtypes.length || !options.devices.length || !options.engines.length) throw new Error('choose at least one dtype, device and engine');
    if (!globalThis.crossOriginIsolated) log('note: this page is not cross-origin isolated, so WASM runs single-threaded and memory is not measured');
    const results = await runSuite(options, { log, onUpdate: render });
    render(results);
    benchmark.state = 'done';
  } catch (error) {
    benchmark.error = `${error?.name}: ${error?.message ?? error}`;
    log(`failed: ${benchmark.error}`);
    benchmark.state = 'error';
  } finally {
    document.body.dataset.state = benchmark.state;
    form.elements.run.disabled = false;
  }
}

const initial = optionsFromUrl();
fillForm(initial);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run(readForm(initial));
});
document.body.dataset.state = 'idle';
if (initial.autorun) void run(initial);
