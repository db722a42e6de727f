// Where a load or a chat turn spends its time, phase by phase (issue 16). Off by default: the
// engine then holds `PhaseProfile.off`, whose spans are one shared no-op, so a turn pays nothing.
// Spans of one phase that overlap (concurrent reads of small files) count once, as wall time.
// A load's phases overlap: the tokenizer builds while the ONNX file is read or downloaded, and in a
// browser the Cache API writes run beside the session build, so they may add up to more than its total.

/**
 * The load's phases, in the order they happen. `workerStart` (from the page's request to the load
 * beginning in the engine: starting the worker, fetching and compiling its script) and `messaging`
 * (ready, back to the page) are added on the page (`seenByCaller`).
 */
export const loadPhases = [
  'workerStart',
  'fileRead',
  'download',
  'cacheRead',
  'tokenizerBuild',
  // WASM: adding each present's new positions as a graph output (new-kv-outputs.ts), beside the
  // external data's read.
  'graphEdit',
  'cacheWrite',
  'runtimeStart',
  'sessionBuild',
  'messaging',
] as const;
/** A turn's phases, in the order a model step meets them. */
export const turnPhases = [
  'tokenize',
  'feedsBuild',
  'batchCopies',
  'feedsIn',
  'run',
  'outputsOut',
  'kvAppend',
  'logits',
  'dispose',
  'sampling',
  'detokenize',
  'messaging',
] as const;

export type LoadPhase = (typeof loadPhases)[number];
export type TurnPhase = (typeof turnPhases)[number];
export type Phase = LoadPhase | TurnPhase;

export interface PhaseTime {
  ms: number;
  /** Spans recorded (model steps, files, tokens). */
  count: number;
}

/** One load's or one turn's phases; `totalMs` is its wall time, so what no phase covers is `totalMs − Σ ms`. */
export interface PhaseTimes {
  totalMs: number;
  phases: Partial<Record<Phase, PhaseTime>>;
  /** When it began, in ms since the epoch: comparable between a page and its workers (see `epochNow`). */
  startEpochMs?: number;
}

/** Now, in ms since the epoch, on a clock a page and its workers share (unlike performance.now()). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A load's phases as its caller saw them, from its request (`requestedAt`) to the answer
 * (`answeredAt`), both from epochNow(): what came before the engine began is `workerStart`, what
 * came after it was ready is `messaging`. An engine that began before the request (another chat's,
 * or the origin's shared one) is returned as it is: this request did not wait for its load.
 */
export function seenByCaller(times: PhaseTimes, requestedAt: number, answeredAt: number): PhaseTimes {
  const began = times.startEpochMs;
  if (began === undefined || began < requestedAt) return times;
  const ready = began + times.totalMs;
  return {
    totalMs: answeredAt - requestedAt,
    phases: {
      workerStart: { ms: began - requestedAt, count: 1 },
      ...times.phases,
      messaging: { ms: Math.max(0, answeredAt - ready), count: 1 },
    },
    startEpochMs: requestedAt,
  };
}

const noop = () => {};

interface Accumulator extends PhaseTime {
  open: number;
  openedAt: number;
}

/** A window over the profile's accumulated spans, opened by begin() and closed by end(). */
export interface PhaseWindow {
  end(): PhaseTimes;
}

export class PhaseProfile {
  /** The profile of an engine loaded without `profile: true`: records nothing. */
  static readonly off = new PhaseProfile(false);

  private readonly phases = new Map<Phase, Accumulator>();

  constructor(readonly enabled = true) {}

  /** Starts a span of `phase`; call the returned function to end it. */
  start(phase: Phase): () => void {
    if (!this.enabled) return noop;
    let accumulator = this.phases.get(phase);
    if (!accumulator) this.phases.set(phase, (accumulator = { ms: 0, count: 0, open: 0, openedAt: 0 }));
    const startedAt = performance.now();
    if (accumulator.open++ === 0) accumulator.openedAt = startedAt;
    accumulator.count++;
    const counted = accumulator;
    return () => {
      if (--counted.open === 0) counted.ms += performance.now() - counted.openedAt;
    };
  }

  /** Times `work` (sync or async) as one span of `phase`. */
  time<T>(phase: Phase, work: () => T): T {
    if (!this.enabled) return work();
    const end = this.start(phase);
    let result: T;
    try {
      result = work();
    } catch (error) {
      end();
      throw error;
    }
    if (result instanceof Promise) return result.finally(end) as T;
    end();
    return result;
  }

  /** Adds a span measured elsewhere (onnxruntime's own trace of a run). */
  add(phase: Phase, ms: number): void {
    if (!this.enabled) return;
    const accumulator = this.phases.get(phase) ?? { ms: 0, count: 0, open: 0, openedAt: 0 };
    accumulator.ms += ms;
    accumulator.count++;
    this.phases.set(phase, accumulator);
  }

  /**
   * Opens a window: what is recorded from now until its end() is that window's phases. `startedAt`
   * lets a caller's own clock and the window share one start, so their totals compare exactly.
   */
  begin(startedAt = performance.now()): PhaseWindow | undefined {
    if (!this.enabled) return undefined;
    const before = this.snapshot();
    return {
      end: () => {
        const phases: Partial<Record<Phase, PhaseTime>> = {};
        for (const [phase, now] of this.snapshot()) {
          const then = before.get(phase) ?? { ms: 0, count: 0 };
          if (now.count > then.count) phases[phase] = { ms: now.ms - then.ms, count: now.count - then.count };
        }
        return { totalMs: performance.now() - startedAt, phases, startEpochMs: performance.timeOrigin + startedAt };
      },
    };
  }

  private snapshot(): Map<Phase, PhaseTime> {
    return new Map([...this.phases].map(([phase, { ms, count }]) => [phase, { ms, count }]));
  }
}
