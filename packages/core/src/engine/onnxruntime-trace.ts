// onnxruntime-web times the copies around a run (feeds into the WASM heap, outputs out of it)
// only through `console.time` labels, and only while `env.trace` is on. A profiled run turns that
// on and listens to those two labels for its own duration; every other console.time call passes
// through untouched, and nothing is patched while no profiled run is in flight.

/** The label onnxruntime-web gives each span, and the phase it is. */
const labels = {
  'ORT::wasm prepareInputOutputTensor': 'feedsIn',
  'ORT::wasm ProcessOutputTensor': 'outputsOut',
} as const;

type TracedPhase = (typeof labels)[keyof typeof labels];
export type RunTrace = Record<TracedPhase, number>;

interface TraceEnv {
  trace?: boolean;
}

let active = 0;
let collectors: { spans: RunTrace; opened: Map<string, number> }[] = [];
let tracingBefore: boolean | undefined;
let original: Pick<Console, 'time' | 'timeEnd'> | undefined;

function install(): void {
  original = { time: console.time, timeEnd: console.timeEnd };
  const passThrough = original;
  // Every ORT:: label is onnxruntime's, printed only because the trace is on: none passes through.
  const isOrt = (label?: string): label is string => label?.startsWith('ORT::') === true;
  console.time = (label?: string) => {
    if (!isOrt(label)) return passThrough.time.call(console, label);
    if (label in labels) for (const collector of collectors) collector.opened.set(label, performance.now());
  };
  console.timeEnd = (label?: string) => {
    if (!isOrt(label)) return passThrough.timeEnd.call(console, label);
    if (!(label in labels)) return;
    const now = performance.now();
    for (const collector of collectors) {
      const openedAt = collector.opened.get(label);
      if (openedAt !== undefined) collector.spans[labels[label as keyof typeof labels]] += now - openedAt;
      collector.opened.delete(label);
    }
  };
}

/** Starts listening to one run's copy spans; stop() restores the console once no run listens. */
export function traceRun(env: TraceEnv): { stop(): RunTrace } {
  if (active++ === 0) {
    install();
    tracingBefore = env.trace;
    env.trace = true;
  }
  const collector = { spans: { feedsIn: 0, outputsOut: 0 }, opened: new Map<string, number>() };
  collectors.push(collector);
  return {
    stop: () => {
      collectors = collectors.filter((c) => c !== collector);
      if (--active === 0 && original) {
        env.trace = tracingBefore;
        console.time = original.time;
        console.timeEnd = original.timeEnd;
        original = undefined;
      }
      return collector.spans;
    },
  };
}
