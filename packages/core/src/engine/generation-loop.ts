// The one prefill/decode loop, used by chat turns (Engine.reply) and raw generation
// (Engine.generateIds), the way nanoGPT has one `generate`: run what the cache lacks, then sample,
// stream and feed back one token at a time until the stopping criteria say so. Model steps go
// through the engine's StepBatcher, which runs them together with other loops' steps.
import type { TokenSampler } from '../generation/sampler.js';
import type { StoppingCriteria, StopReason } from '../generation/stopping-criteria.js';
import type { KvCache } from './onnx-runtime.js';
import type { PhaseProfile } from './phase-profile.js';
import type { BatchMember, StepBatcher } from './step-batcher.js';

/** Prefill in slices so an abort is seen between them and logits stay small. */
const prefillChunk = 128;

/** A KV cache and the ids it holds, in order; the loop keeps both current after every step. */
export interface CachedSequence {
  cache: KvCache;
  cachedIds: number[];
}

export interface GenerationSteps {
  sampler: TokenSampler;
  stopping: StoppingCriteria;
  /** Each new token of the reply, as it is sampled (eos excluded). */
  onToken?: (id: number) => void;
  /** Awaited before every model step (prefill slices included); throws to abort. */
  beforeStep?: () => Promise<void>;
  /** Times sampling when on. */
  profile?: PhaseProfile;
}

export interface GenerationResult {
  ids: number[];
  stopReason: StopReason;
  /** performance.now() once the prompt was run, and once the first token was sampled. */
  prefilledAt: number;
  firstTokenAt: number;
}

/**
 * Runs `pending` (the ids `sequence` lacks; at least one) through the model, then decodes.
 * `seen` is the whole context so far, for the repetition rules; new tokens are appended to it.
 */
export async function generate(
  batcher: StepBatcher,
  sequence: CachedSequence,
  pending: readonly number[],
  seen: number[],
  steps: GenerationSteps,
): Promise<GenerationResult> {
  const member = batcher.join();
  try {
    return await run(member, sequence, pending, seen, steps);
  } finally {
    member.leave();
  }
}

async function run(
  member: BatchMember,
  sequence: CachedSequence,
  pending: readonly number[],
  seen: number[],
  { sampler, stopping, onToken, beforeStep, profile }: GenerationSteps,
): Promise<GenerationResult> {
  let logits: Float32Array | undefined;
  for (let offset = 0; offset < pending.length; offset += prefillChunk) {
    await beforeStep?.();
    logits = await step(member, sequence, pending.slice(offset, offset + prefillChunk));
  }
  const prefilledAt = performance.now();
  let firstTokenAt = prefilledAt;
  const ids: number[] = [];
  for (;;) {
    const endSampling = profile?.start('sampling');
    const next = sampler.next(logits!, seen, ids.length);
    endSampling?.();
    if (ids.length === 0) firstTokenAt = performance.now();
    const stopReason = stopping.check(next, ids.length + 1, sequence.cachedIds.length);
    if (stopReason === 'eos') return { ids, stopReason, prefilledAt, firstTokenAt };
    ids.push(next);
    seen.push(next);
    onToken?.(next);
    if (stopReason) return { ids, stopReason, prefilledAt, firstTokenAt };
    await beforeStep?.();
    logits = await step(member, sequence, [next]);
  }
}

/** One model run on top of the cache (alone or in a batch); the old cache is disposed by the decoder. */
async function step(member: BatchMember, sequence: CachedSequence, ids: readonly number[]): Promise<Float32Array> {
  const { logits, cache } = await member.forward(ids, sequence.cache);
  sequence.cache = cache;
  sequence.cachedIds.push(...ids);
  return logits;
}
