/**
 * Seeded weights for the generated GPT-2, named like Hugging Face's GPT2LMHeadModel checkpoint.
 *
 * Linear weights are stored [in, out] like GPT-2's Conv1D, so the graph multiplies without a
 * transpose. The lm head is tied to wte and has no weight of its own.
 *
 * Scales are chosen so that a random model still behaves like a language model on the outside:
 * attention is not uniform, the blocks (not the input embedding) dominate the residual stream, and
 * logits spread by a few units, so greedy decoding walks through many different tokens instead of
 * repeating the last one.
 */
import type { Gpt2Dimensions } from './model-sizes.js';
import { SeededRandom, streamSeed } from './seeded-random.js';

/** How a weight is stored in the quantized model: int8 for MatMul, int8 + dequantize for the lookup, or fp32. */
export type QuantizationRole = 'matmul' | 'embedding' | 'none';

export interface WeightSpec {
  /** Checkpoint name, e.g. `transformer.h.0.attn.c_attn.weight`. */
  name: string;
  shape: readonly number[];
  /** Values are drawn uniformly with this mean and standard deviation. */
  mean: number;
  std: number;
  quantization: QuantizationRole;
}

/** Checkpoint name → float32 values (row-major). */
export type Gpt2Weights = ReadonlyMap<string, Float32Array>;

export const weightNames = {
  wte: 'transformer.wte.weight',
  wpe: 'transformer.wpe.weight',
  lnFWeight: 'transformer.ln_f.weight',
  lnFBias: 'transformer.ln_f.bias',
  block(layer: number, part: 'ln_1' | 'attn.c_attn' | 'attn.c_proj' | 'ln_2' | 'mlp.c_fc' | 'mlp.c_proj', kind: 'weight' | 'bias'): string {
    return `transformer.h.${layer}.${part}.${kind}`;
  },
} as const;

/** All weights in checkpoint order: wte, wpe, h.0 … h.{n-1}, ln_f. */
export function gpt2WeightSpecs(dims: Gpt2Dimensions): WeightSpec[] {
  const C = dims.nEmbd;
  const unitGain = 1 / Math.sqrt(C); // keeps a unit-variance input at unit variance through [C, *]
  const embeddingStd = 4 / Math.sqrt(C); // tied lm head: logits then spread with std ≈ 4
  const biasStd = 0.05;
  const w = weightNames;

  const specs: WeightSpec[] = [
    { name: w.wte, shape: [dims.vocabSize, C], mean: 0, std: embeddingStd, quantization: 'embedding' },
    { name: w.wpe, shape: [dims.nPositions, C], mean: 0, std: embeddingStd / 2, quantization: 'none' },
  ];
  // LayerNorm gains and all biases are not the usual 1 and 0, so a swapped or dropped one shows up
  // in the parity tests.
  const layerNorm = (weight: string, bias: string): WeightSpec[] => [
    { name: weight, shape: [C], mean: 1, std: 0.1, quantization: 'none' },
    { name: bias, shape: [C], mean: 0, std: biasStd, quantization: 'none' },
  ];
  const linear = (weight: string, bias: string, inputs: number, outputs: number, std: number): WeightSpec[] => [
    { name: weight, shape: [inputs, outputs], mean: 0, std, quantization: 'matmul' },
    { name: bias, shape: [outputs], mean: 0, std: biasStd, quantization: 'none' },
  ];
  for (let layer = 0; layer < dims.nLayer; layer++) {
    const b = (part: Parameters<typeof w.block>[1], kind: 'weight' | 'bias') => w.block(layer, part, kind);
    specs.push(
      ...layerNorm(b('ln_1', 'weight'), b('ln_1', 'bias')),
      // Far above GPT-2's 0.02: queries and keys must be large for attention to pick tokens (not
      // average them all), and the blocks must outweigh the embedding in the residual stream, or the
      // tied lm head keeps predicting the input token. Tuned by counting distinct greedy tokens.
      ...linear(b('attn.c_attn', 'weight'), b('attn.c_attn', 'bias'), C, 3 * C, 3 * unitGain),
      ...linear(b('attn.c_proj', 'weight'), b('attn.c_proj', 'bias'), C, C, 3 * unitGain),
      ...layerNorm(b('ln_2', 'weight'), b('ln_2', 'bias')),
      ...linear(b('mlp.c_fc', 'weight'), b('mlp.c_fc', 'bias'), C, 4 * C, unitGain),
      ...linear(b('mlp.c_proj', 'weight'), b('mlp.c_proj', 'bias'), 4 * C, C, 3 / Math.sqrt(4 * C)),
    );
  }
  specs.push(...layerNorm(w.lnFWeight, w.lnFBias));
  return specs;
}

/** The values of one weight; depends only on (seed, spec), never on other weights. */
export function generateWeight(spec: WeightSpec, seed: number): Float32Array {
  const count = spec.shape.reduce((product, d) => product * d, 1);
  const values = new Float32Array(count);
  const random = new SeededRandom(streamSeed(seed, spec.name));
  const halfWidth = spec.std * Math.sqrt(3); // uniform on [-a, a] has std a / sqrt(3)
  for (let i = 0; i < count; i++) {
    values[i] = spec.mean + (2 * random.nextFloat() - 1) * halfWidth;
  }
  return values;
}

/** Every weight of a model in memory; meant for the tiny size (the small one is ~500 MB). */
export function generateGpt2Weights(dims: Gpt2Dimensions, seed: number): Gpt2Weights {
  const weights = new Map<string, Float32Array>();
  for (const spec of gpt2WeightSpecs(dims)) weights.set(spec.name, generateWeight(spec, seed));
  return weights;
}
