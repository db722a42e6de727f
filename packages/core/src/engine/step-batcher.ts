// Continuous batching. Every generation loop running on the engine (a chat turn, raw generation)
// joins the batcher and asks it for each model step instead of calling the decoder itself. Once
// every member has asked, a round runs: all waiting decode steps as ONE batched model step, then
// one prefill chunk of one newcomer. So a long prompt stalls the others for one chunk at most,
// every member advances each round (a long reply cannot hold back a short one), and members join
// and leave between rounds. A member decoding alone takes the decoder's direct path, unchanged.
import type { ForwardResult, KvCache, OnnxDecoder } from './onnx-runtime.js';

/** How the engine's steps were run, counted since it loaded (tests and the benchmark read it). */
export interface BatchingStats {
  /** Decode steps of one sequence run alone (the direct path). */
  singleSteps: number;
  /** Model steps that decoded several sequences at once. */
  batchedSteps: number;
  /** The most sequences decoded in one model step. */
  largestBatch: number;
  /** Prefill chunks (several ids of one sequence) run between decode steps. */
  prefillChunks: number;
}

export function emptyBatchingStats(): BatchingStats {
  return { singleSteps: 0, batchedSteps: 0, largestBatch: 0, prefillChunks: 0 };
}

/** One generation loop's seat at the batcher, from its first step to its last. */
export interface BatchMember {
  /** Runs `ids` on top of `cache` in the next round; the given cache is replaced, as in OnnxDecoder.forward. */
  forward(ids: readonly number[], cache: KvCache): Promise<ForwardResult>;
  /** Gives up the seat (the loop ended, was aborted or failed); the others no longer wait for it. */
  leave(): void;
}

interface StepRequest {
  ids: readonly number[];
  cache: KvCache;
  resolve(result: ForwardResult): void;
  reject(error: unknown): void;
}

export class StepBatcher {
  private readonly members = new Set<BatchMember>();
  /** In the order they were asked; prefill chunks not yet served stay at the front. */
  private waiting: StepRequest[] = [];
  private running = false;

  constructor(
    private readonly decoder: OnnxDecoder,
    private readonly stats: BatchingStats = emptyBatchingStats(),
  ) {}

  join(): BatchMember {
    const member: BatchMember = {
      forward: (ids, cache) =>
        new Promise<ForwardResult>((resolve, reject) => {
          this.waiting.push({ ids, cache, resolve, reject });
          this.runWhenAllAsked();
        }),
      leave: () => {
        this.members.delete(member);
        this.runWhenAllAsked();
      },
    };
    this.members.add(member);
    return member;
  }

  /** A member between steps (sampling, streaming, checking for an abort) is waited for, so it rides the same step. */
  private runWhenAllAsked(): void {
    if (this.running || this.waiting.length === 0 || this.waiting.length < this.members.size) return;
    this.running = true;
    void this.runRound().finally(() => {
      this.running = false;
      this.runWhenAllAsked();
    });
  }

  private async runRound(): Promise<void> {
    const decodes = this.waiting.filter((request) => request.ids.length === 1);
    const [prefill, ...laterPrefills] = this.waiting.filter((request) => request.ids.length > 1);
    // Newcomers' chunks take turns, one a round; a served one asks again at the back.
    this.waiting = laterPrefills;
    if (decodes.length > 1 && this.decoder.canBatch) await this.decodeTogether(decodes);
    else for (const request of decodes) await this.runAlone(request, 'singleSteps');
    if (prefill) await this.runAlone(prefill, 'prefillChunks');
  }

  private async decodeTogether(requests: readonly StepRequest[]): Promise<void> {
    this.stats.batchedSteps++;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, requests.length);
    try {
      const results = await this.decoder.forwardBatch(requests.map((request) => ({ id: request.ids[0], cache: request.cache })));
      requests.forEach((request, row) => request.resolve(results[row]));
    } catch (error) {
      for (const request of requests) request.reject(error);
    }
  }

  private async runAlone(request: StepRequest, counter: 'singleSteps' | 'prefillChunks'): Promise<void> {
    this.stats[counter]++;
    try {
      request.resolve(await this.decoder.forward(request.ids, request.cache));
    } catch (error) {
      request.reject(error);
    }
  }
}
