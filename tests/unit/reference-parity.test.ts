// The generated tiny ONNX model, run by onnxruntime-web (WASM) in Node, against the float64
// reference forward pass in packages/core/src/reference/gpt2-reference.ts.
//
// Tolerance: relative error = max |onnx − reference| / max |reference| over all compared values,
// which must stay below 1e-4 (float32 inference against float64 on the same float32 weights).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-web';
import { makeTestModel } from '../../packages/core/src/model-maker/make-test-model.ts';
import { modelSizes, endOfTextTokenId } from '../../packages/core/src/model-maker/model-sizes.ts';
import { generateGpt2Weights } from '../../packages/core/src/model-maker/weights.ts';
import { argmax, gpt2Forward, greedyGenerate, type KvCache } from '../../packages/core/src/reference/gpt2-reference.ts';

ort.env.wasm.numThreads = 1;

const SEED = 7;
const TOLERANCE = 1e-4;
const dims = modelSizes.tiny;
const V = dims.vocabSize;
const nh = dims.nHead;
const hs = dims.nEmbd / dims.nHead;
const reference = { dims, weights: generateGpt2Weights(dims, SEED) };

// "Hello, how are you doing today?<|endoftext|>I'm" in GPT-2 ids: 10 tokens.
const PROMPT = [15496, 11, 703, 389, 345, 1804, 1909, 30, endOfTextTokenId, 40];
const STEP = [1101, 3734, 13];

let modelDir = '';
let fp32: ort.InferenceSession;
let int8: ort.InferenceSession;

before(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'tabwise-parity-'));
  await makeTestModel({ size: 'tiny', outDir: modelDir, seed: SEED });
  fp32 = await ort.InferenceSession.create(join(modelDir, 'onnx/model.onnx'));
  int8 = await ort.InferenceSession.create(join(modelDir, 'onnx/model_quantized.onnx'));
});

after(async () => {
  await fp32?.release();
  await int8?.release();
  await rm(modelDir, { recursive: true, force: true });
});

describe('fp32 ONNX model against the float64 reference', () => {
  test('prefill of 10 tokens: logits and present cache', async () => {
    const onnx = await runOnnx(fp32, [{ ids: PROMPT }]);
    const expected = gpt2Forward(reference, PROMPT);
    assertClose(onnx.logits, expected.logits, 'logits');
    assertCacheClose(onnx.present, expected.present);
  });

  test('3-token step on top of the returned present cache', async () => {
    const prefill = await runOnnx(fp32, [{ ids: PROMPT }]);
    const onnx = await runOnnx(fp32, [{ ids: STEP }], prefill.present);
    const expectedPrefill = gpt2Forward(reference, PROMPT);
    const expected = gpt2Forward(reference, STEP, { past: expectedPrefill.present });
    assert.deepEqual(onnx.present.get('present.0.key')?.dims, [1, nh, PROMPT.length + STEP.length, hs]);
    assertClose(onnx.logits, expected.logits, 'step logits');
    assertCacheClose(onnx.present, expected.present);
  });

  test('left-padded positions are masked out', async () => {
    const padded = leftPadded(PROMPT, 3);
    const onnx = await runOnnx(fp32, [padded]);
    assertClose(onnx.logits, gpt2Forward(reference, padded.ids, { attentionMask: padded.mask, positionIds: padded.positions }).logits, 'padded logits');

    // The real tokens must not notice the padding at all.
    const unpadded = gpt2Forward(reference, PROMPT).logits;
    assertClose(onnx.logits.subarray(3 * V), unpadded, 'padded vs unpadded logits');
  });

  test('masking accounts for the past: a padded past position stays hidden in later steps', async () => {
    const padded = leftPadded(PROMPT, 2);
    const prefill = await runOnnx(fp32, [padded]);
    const stepMask = [...padded.mask, 1, 1, 1];
    const stepPositions = [PROMPT.length, PROMPT.length + 1, PROMPT.length + 2];
    const onnx = await runOnnx(fp32, [{ ids: STEP, mask: stepMask, positions: stepPositions }], prefill.present);
    const unpaddedPrefill = gpt2Forward(reference, PROMPT);
    assertClose(onnx.logits, gpt2Forward(reference, STEP, { past: unpaddedPrefill.present }).logits, 'step after padding');
  });

  test('a batch of two rows (one left-padded) equals each row alone', async () => {
    const short = PROMPT.slice(4);
    const rows = [{ ids: PROMPT }, leftPadded(short, PROMPT.length - short.length)];
    const onnx = await runOnnx(fp32, rows);
    const rowSize = PROMPT.length * V;
    assertClose(onnx.logits.subarray(0, rowSize), gpt2Forward(reference, PROMPT).logits, 'row 0');
    const unpaddedShort = gpt2Forward(reference, short).logits;
    assertClose(onnx.logits.subarray(rowSize + (PROMPT.length - short.length) * V), unpaddedShort, 'row 1, real tokens');
  });

  test('greedy decoding of 20 tokens gives the same tokens', async () => {
    const expected = greedyGenerate(reference, PROMPT, 20);
    const actual: number[] = [];
    let result = await runOnnx(fp32, [{ ids: PROMPT }]);
    let last = result.logits.subarray((PROMPT.length - 1) * V);
    while (actual.length < 20) {
      actual.push(argmax(last));
      if (actual.length === 20) break;
      const position = PROMPT.length + actual.length - 1;
      const mask = new Array<number>(position + 1).fill(1);
      result = await runOnnx(fp32, [{ ids: [actual.at(-1)!], mask, positions: [position] }], result.present);
      last = result.logits;
    }
    assert.deepEqual(actual, expected);
    // Random weights must still make a usable stand-in: not one token repeated.
    assert.ok(new Set(actual).size >= 10, `greedy output is degenerate: ${actual.join(',')}`);
  });
});

describe('int8 ONNX model against the fp32 one', () => {
  test('logits of a prefill and a cached step keep cosine similarity > 0.99 at every position', async () => {
    const prefill32 = await runOnnx(fp32, [{ ids: PROMPT }]);
    const prefill8 = await runOnnx(int8, [{ ids: PROMPT }]);
    const step32 = await runOnnx(fp32, [{ ids: STEP }], prefill32.present);
    const step8 = await runOnnx(int8, [{ ids: STEP }], prefill8.present);
    for (const [quantized, float, label] of [
      [prefill8.logits, prefill32.logits, 'prefill'],
      [step8.logits, step32.logits, 'step'],
    ] as const) {
      for (let t = 0; t < quantized.length / V; t++) {
        const similarity = cosine(quantized.subarray(t * V, (t + 1) * V), float.subarray(t * V, (t + 1) * V));
        assert.ok(similarity > 0.99, `${label} position ${t}: cosine ${similarity}`);
      }
    }
    // It is a different model file: identical logits would mean the int8 path was not taken.
    assert.notDeepEqual(prefill8.logits, prefill32.logits);
  });
});

// --- helpers ------------------------------------------------------------------------------------

interface Row {
  ids: number[];
  /** [P + T]; all ones when absent. */
  mask?: number[];
  /** [T]; P … P+T-1 when absent. */
  positions?: number[];
}

interface OnnxResult {
  logits: Float32Array; // [B, T, V]
  present: Map<string, ort.Tensor>;
}

/** Left-pads with eos; positions as transformers.js derives them (cumsum(mask) − 1, padding → 1). */
function leftPadded(ids: number[], padding: number): Required<Row> {
  const mask = [...new Array<number>(padding).fill(0), ...ids.map(() => 1)];
  let seen = 0;
  const positions = mask.map((m) => (m ? seen++ : 1));
  return { ids: [...new Array<number>(padding).fill(endOfTextTokenId), ...ids], mask, positions };
}

async function runOnnx(session: ort.InferenceSession, rows: Row[], past?: Map<string, ort.Tensor>): Promise<OnnxResult> {
  const B = rows.length;
  const T = rows[0].ids.length;
  const P = past ? (past.get('present.0.key')?.dims[2] ?? 0) : 0;
  const int64 = (values: number[][], width: number) => new ort.Tensor('int64', BigInt64Array.from(values.flat(), BigInt), [B, width]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(rows.map((row) => row.ids), T),
    attention_mask: int64(rows.map((row) => row.mask ?? new Array<number>(P + T).fill(1)), P + T),
    position_ids: int64(rows.map((row) => row.positions ?? row.ids.map((_, t) => P + t)), T),
  };
  for (let layer = 0; layer < dims.nLayer; layer++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] = past?.get(`present.${layer}.${kind}`) ?? new ort.Tensor('float32', new Float32Array(0), [B, nh, 0, hs]);
    }
  }
  const outputs = await session.run(feeds);
  const present = new Map<string, ort.Tensor>();
  for (const name of session.outputNames) if (name.startsWith('present.')) present.set(name, outputs[name] as ort.Tensor);
  return { logits: outputs.logits.data as Float32Array, present };
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxDifference = 0;
  let maxExpected = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
    maxExpected = Math.max(maxExpected, Math.abs(expected[i]));
  }
  return maxDifference / maxExpected;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  const error = relativeError(actual, expected);
  assert.ok(error < TOLERANCE, `${label}: relative error ${error.toExponential(2)} ≥ ${TOLERANCE}`);
}

function assertCacheClose(present: Map<string, ort.Tensor>, expected: KvCache): void {
  expected.layers.forEach((layer, i) => {
    assertClose(present.get(`present.${i}.key`)!.data as Float32Array, layer.key, `present.${i}.key`);
    assertClose(present.get(`present.${i}.value`)!.data as Float32Array, layer.value, `present.${i}.value`);
  });
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return dot / Math.sqrt(normA * normB);
}
