// WASM decode steps fetch only the new positions of the KV cache (engine/new-kv-outputs.ts) instead
// of the graph's whole presents, whose copy out of onnxruntime-web's heap grows with the chat.
// Tiny generated model, fp32 and q8: the extra outputs are exactly the presents' last positions, and a
// chat (single and batched steps) decodes the same tokens either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { withNewKvOutputs } from '../../packages/core/src/engine/new-kv-outputs.ts';
import { OnnxDecoder, type KvCache } from '../../packages/core/src/engine/onnx-runtime.ts';
import { readModelConfig } from '../../packages/core/src/engine/model-config.ts';
import { onnxProto } from '../../packages/core/src/model-maker/onnx-proto.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

const dir = requireTinyModel();
const config = readModelConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
const presents = Array.from({ length: config.numLayers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();
const modelBytes = (file: string) => new Uint8Array(readFileSync(join(dir, 'onnx', file)));

const int64 = (values: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
function feeds(ids: number[], past: Record<string, ort.Tensor> = {}): Record<string, ort.Tensor> {
  const P = past['past_key_values.0.key']?.dims[2] ?? 0;
  const result: Record<string, ort.Tensor> = {
    input_ids: int64(ids, [1, ids.length]),
    attention_mask: int64(new Array(P + ids.length).fill(1), [1, P + ids.length]),
    position_ids: int64(ids.map((_, i) => P + i), [1, ids.length]),
  };
  for (const present of presents) {
    const name = present.replace('present.', 'past_key_values.');
    result[name] = past[name] ?? new ort.Tensor('float32', new Float32Array(0), [1, config.numHeads, 0, config.headSize]);
  }
  return result;
}

for (const file of ['model.onnx', 'model_quantized.onnx']) {
  test(`${file}: each added output holds exactly the last positions of its present, on no past and on a past`, async () => {
    const original = modelBytes(file);
    const rewritten = await withNewKvOutputs(original);
    assert.ok(rewritten, 'the generated graph builds each present as Concat(past, new)');
    assert.deepEqual(Object.keys(rewritten.newOutputs), presents);
    const whole = await ort.InferenceSession.create(original);
    const appending = await ort.InferenceSession.create(rewritten.model);
    const fetches = ['logits', ...presents.map((present) => rewritten.newOutputs[present])];
    let past: Record<string, ort.Tensor> = {};
    for (const ids of [[15496, 11, 703, 389], [345]]) {
      const expected = await whole.run(feeds(ids, past));
      const got = await appending.run(feeds(ids, past), fetches);
      assert.deepEqual(Object.keys(got).sort(), [...fetches].sort(), 'only the logits and the new positions come back');
      assert.deepEqual(got.logits.data, expected.logits.data);
      for (const present of presents) {
        const full = expected[present]; // [1, nh, P + T, hs]
        const fresh: ort.Tensor = got[rewritten.newOutputs[present]]; // [1, nh, T, hs]
        const [, nh, S, hs] = full.dims;
        const T = ids.length;
        assert.deepEqual(fresh.dims, [1, nh, T, hs]);
        for (let head = 0; head < nh; head++) {
          const tail = (full.data as Float32Array).subarray((head * S + S - T) * hs, (head + 1) * S * hs);
          assert.deepEqual((fresh.data as Float32Array).subarray(head * T * hs, (head + 1) * T * hs), tail, `${present}, head ${head}`);
        }
      }
      past = Object.fromEntries(presents.map((present) => [present.replace('present.', 'past_key_values.'), expected[present]]));
    }
    await Promise.all([whole.release(), appending.release()]);
  });
}

test('a graph where a present is not Concat(past, new) is left as it is: the decoder then fetches whole presents', async () => {
  const model = onnxProto.ModelProto.decode(modelBytes('model.onnx'));
  const concat = model.graph!.node!.find((node) => node.output?.includes('present.1.value'))!;
  assert.equal(concat.opType, 'Concat');
  concat.opType = 'Identity';
  assert.equal(await withNewKvOutputs(onnxProto.ModelProto.encode(model).finish()), undefined);
});

test('a chat decodes the same greedy tokens appending new positions as fetching whole presents, alone and batched', async () => {
  const model = modelBytes('model.onnx');
  const decoders = await Promise.all(
    (['new', 'present'] as const).map((kvOutputs) => OnnxDecoder.create(model, [], config, 'wasm', { numThreads: 1, kvOutputs })),
  );
  const argmax = (logits: Float32Array) => logits.reduce((best, value, i) => (value > logits[best] ? i : best), 0);
  const run = async (decoder: OnnxDecoder) => {
    const tokens: number[][] = [[], []];
    let caches: KvCache[] = [decoder.emptyCache(), decoder.emptyCache()];
    // Two sequences of different lengths: prefills one at a time, then batched decode steps.
    const prompts = [[15496, 11, 703, 389, 345, 30], [40, 588]];
    const next: number[] = [];
    for (let b = 0; b < 2; b++) {
      const result = await decoder.forward(prompts[b], caches[b]);
      caches[b] = result.cache;
      next[b] = argmax(result.logits);
    }
    for (let step = 0; step < 12; step++) {
      const results = await decoder.forwardBatch(caches.map((cache, b) => ({ id: next[b], cache })));
      results.forEach((result, b) => {
        tokens[b].push(next[b]);
        caches[b] = result.cache;
        next[b] = argmax(result.logits);
      });
    }
    for (let step = 0; step < 6; step++) {
      const result = await decoder.forward([next[0]], caches[0]);
      tokens[0].push(next[0]);
      caches[0] = result.cache;
      next[0] = argmax(result.logits);
    }
    assert.deepEqual(caches.map((cache) => cache.length), [6 + 12 + 6, 2 + 12]);
    caches.forEach((cache) => decoder.disposeCache(cache));
    assert.equal(decoder.memory().liveTensors, 0, 'every cache tensor was disposed');
    return tokens;
  };
  const [appended, whole] = [await run(decoders[0]), await run(decoders[1])];
  assert.deepEqual(appended, whole);
  await Promise.all(decoders.map((decoder) => decoder.release()));
});
