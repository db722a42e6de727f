// The generated DialoGPT-architecture model: layout, ONNX interface, determinism, external data,
// and the `make-test-model` command's handling of bad input.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { makeTestModelCommand } from '../../packages/core/src/cli/make-test-model.ts';
import { makeTestModel, MakeTestModelError } from '../../packages/core/src/model-maker/make-test-model.ts';
import { modelSizes, type ModelSize } from '../../packages/core/src/model-maker/model-sizes.ts';
import { onnxProto } from '../../packages/core/src/model-maker/onnx-proto.ts';

ort.env.wasm.numThreads = 1;

const dims = modelSizes.tiny;
const { nLayer, nHead: nh, vocabSize: V, nEmbd: C } = dims;
const hs = C / nh;

const EXPECTED_INPUTS = ['input_ids', 'attention_mask', 'position_ids', ...perLayer((i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`])];
const EXPECTED_OUTPUTS = ['logits', ...perLayer((i) => [`present.${i}.key`, `present.${i}.value`])];
const EXPECTED_DIMS: Record<string, Array<string | number>> = {
  input_ids: ['batch_size', 'sequence_length'],
  attention_mask: ['batch_size', 'total_sequence_length'],
  position_ids: ['batch_size', 'sequence_length'],
  logits: ['batch_size', 'sequence_length', V],
  ...Object.fromEntries(perLayer((i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).map((name) => [name, ['batch_size', nh, 'past_sequence_length', hs]])),
  ...Object.fromEntries(perLayer((i) => [`present.${i}.key`, `present.${i}.value`]).map((name) => [name, ['batch_size', nh, 'total_sequence_length', hs]])),
};
const MODEL_FILES = ['onnx/model.onnx', 'onnx/model_quantized.onnx'];

let workDir = '';
let seed0 = '';

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tabwise-make-test-model-'));
  seed0 = join(workDir, 'seed0');
  await makeTestModel({ size: 'tiny', outDir: seed0, seed: 0 });
});

after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('makeTestModel', () => {
  test('writes the Hugging Face layout with a DialoGPT config', async () => {
    assert.deepEqual((await readdir(seed0)).sort(), ['config.json', 'generation_config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    assert.deepEqual((await readdir(join(seed0, 'onnx'))).sort(), ['model.onnx', 'model_quantized.onnx']);

    const config = await readJson(join(seed0, 'config.json'));
    assert.equal(config.model_type, 'gpt2');
    assert.deepEqual(config.architectures, ['GPT2LMHeadModel']);
    assert.equal(config.activation_function, 'gelu_new');
    assert.deepEqual(
      [config.n_layer, config.n_embd, config.n_head, config.vocab_size, config.n_positions, config.n_ctx],
      [nLayer, C, nh, 50257, 1024, 1024],
    );
    assert.equal(config.bos_token_id, 50256);
    assert.equal(config.eos_token_id, 50256);
    assert.equal(config.layer_norm_epsilon, 1e-5);
    assert.deepEqual(config.tabwise, { generated: true, seed: 0, size: 'tiny' });
    assert.equal(config['transformers.js_config'], undefined, 'tiny keeps its weights inline');

    const generation = await readJson(join(seed0, 'generation_config.json'));
    assert.deepEqual([generation.bos_token_id, generation.eos_token_id, generation.max_length], [50256, 50256, 1000]);
    const tokenizerConfig = await readJson(join(seed0, 'tokenizer_config.json'));
    assert.equal(tokenizerConfig.tokenizer_class, 'GPT2Tokenizer');
    assert.deepEqual([tokenizerConfig.bos_token, tokenizerConfig.eos_token, tokenizerConfig.unk_token], Array(3).fill('<|endoftext|>'));
    assert.equal(tokenizerConfig.model_max_length, 1024);
  });

  test("declares Optimum's input and output names, in order", async () => {
    for (const file of MODEL_FILES) {
      const session = await ort.InferenceSession.create(join(seed0, file));
      try {
        assert.deepEqual(session.inputNames, EXPECTED_INPUTS, file);
        assert.deepEqual(session.outputNames, EXPECTED_OUTPUTS, file);
      } finally {
        await session.release();
      }
    }
  });

  test('declares the symbolic dimensions batch_size, sequence_length, past_ and total_sequence_length', async () => {
    for (const file of MODEL_FILES) {
      const graph = await readGraph(join(seed0, file));
      const declared = Object.fromEntries([...(graph.input ?? []), ...(graph.output ?? [])].map((info) => [info.name, dimsOf(info)]));
      assert.deepEqual(declared, EXPECTED_DIMS, file);
    }
  });

  test('uses standard ONNX ops only, at opset 17', async () => {
    for (const file of MODEL_FILES) {
      const model = onnxProto.ModelProto.decode(await readFile(join(seed0, file)));
      assert.deepEqual(model.opsetImport.map((opset) => [opset.domain, Number(opset.version)]), [['', 17]], file);
      const foreign = (model.graph?.node ?? []).filter((node) => node.domain);
      assert.deepEqual(foreign, [], file);
    }
  });

  test('ties the lm head to wte: one embedding initializer, read by the lookup and the lm head', async () => {
    const expectations: Array<[string, string, string]> = [
      ['onnx/model.onnx', 'transformer.wte.weight', 'Gemm'],
      ['onnx/model_quantized.onnx', 'transformer.wte.weight_quantized', 'Transpose'],
    ];
    for (const [file, wte, lmHeadOp] of expectations) {
      const graph = await readGraph(join(seed0, file));
      const tables = (graph.initializer ?? []).filter((tensor) => tensor.dims?.map(Number).join() === `${V},${C}`);
      assert.deepEqual(tables.map((tensor) => tensor.name), [wte], file);
      const readers = (graph.node ?? []).filter((node) => node.input?.includes(wte)).map((node) => node.opType);
      assert.deepEqual(readers.sort(), ['Gather', lmHeadOp].sort(), file);
    }
  });

  test('the same seed gives byte-identical files; another seed other weights, same tokenizer', async () => {
    const again = join(workDir, 'seed0-again');
    const seed1 = join(workDir, 'seed1');
    await makeTestModel({ size: 'tiny', outDir: again, seed: 0 });
    await makeTestModel({ size: 'tiny', outDir: seed1, seed: 1 });
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', ...MODEL_FILES]) {
      assert.ok((await readFile(join(seed0, file))).equals(await readFile(join(again, file))), `${file} differs between two runs with seed 0`);
    }
    for (const file of MODEL_FILES) {
      assert.ok(!(await readFile(join(seed0, file))).equals(await readFile(join(seed1, file))), `${file} is the same for seeds 0 and 1`);
    }
    assert.ok((await readFile(join(seed0, 'tokenizer.json'))).equals(await readFile(join(seed1, 'tokenizer.json'))));
    assert.equal((await readJson(join(seed1, 'config.json'))).tabwise.seed, 1);
  });

  test('external data: weights move to {file}_data and the model computes the same logits', async () => {
    const external = join(workDir, 'external');
    const result = await makeTestModel({ size: 'tiny', outDir: external, seed: 0, externalData: true });
    assert.equal(result.externalData, true);
    assert.deepEqual((await readdir(join(external, 'onnx'))).sort(), ['model.onnx', 'model.onnx_data', 'model_quantized.onnx', 'model_quantized.onnx_data']);
    assert.deepEqual((await readJson(join(external, 'config.json')))['transformers.js_config'], { use_external_data_format: true });

    const graph = await readGraph(join(external, 'onnx/model.onnx'));
    const wte = graph.initializer?.find((tensor) => tensor.name === 'transformer.wte.weight');
    assert.equal(wte?.dataLocation, onnxProto.TensorProto.DataLocation.EXTERNAL);
    assert.deepEqual(Object.fromEntries((wte?.externalData ?? []).map((entry) => [entry.key, entry.value])), {
      location: 'model.onnx_data',
      offset: '0',
      length: String(V * C * 4),
    });

    for (const file of ['model.onnx', 'model_quantized.onnx']) {
      const inline = await logitsOf(join(seed0, 'onnx', file));
      const streamed = await logitsOf(join(external, 'onnx', file), [{ path: `${file}_data`, data: join(external, 'onnx', `${file}_data`) }]);
      assert.deepEqual(streamed, inline, file);
    }
  });

  test('rejects bad options with a MakeTestModelError', async () => {
    const outDir = join(workDir, 'never');
    await assert.rejects(makeTestModel({ size: 'huge' as ModelSize, outDir }), { name: 'MakeTestModelError', message: /unknown size "huge"/ });
    await assert.rejects(makeTestModel({ size: 'tiny', outDir, seed: 1.5 }), MakeTestModelError);
    await assert.rejects(makeTestModel({ size: 'tiny', outDir, seed: -1 }), MakeTestModelError);
    await assert.rejects(makeTestModel({ size: 'tiny', outDir: '/proc/tabwise/x' }), { name: 'MakeTestModelError', message: /cannot write/ });
  });
});

describe('makeTestModelCommand', () => {
  test('writes the model and lists the files', async () => {
    const outDir = join(workDir, 'cli');
    const run = await command(['--size', 'tiny', '--out', outDir, '--seed', '3', '--no-quantized']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /onnx\/model\.onnx/);
    assert.deepEqual(await readdir(join(outDir, 'onnx')), ['model.onnx']);
    assert.equal((await readJson(join(outDir, 'config.json'))).tabwise.seed, 3);
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    ['an unknown size', ['--size', 'huge'], /unknown --size "huge"/],
    ['an unwritable out dir', ['--out', '/proc/x'], /cannot write \/proc\/x/],
    ['a non-integer seed', ['--seed', '1.5'], /--seed must be an integer/],
    ['a negative seed', ['--seed', '-2'], /--seed/],
    ['an unknown option', ['--sise', 'tiny'], /sise/],
  ];
  for (const [what, argv, reason] of badInputs) {
    test(`rejects ${what}: non-zero exit, one line on stderr`, async () => {
      const run = await command(argv);
      assert.notEqual(run.code, 0);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^make-test-model: [^\n]+\n$/, `not exactly one line: ${JSON.stringify(run.stderr)}`);
      assert.match(run.stderr, reason);
    });
  }

  test('make-test-model-main.ts sets the exit code and prints one line', async () => {
    const main = join(import.meta.dirname, '../../packages/core/src/cli/make-test-model-main.ts');
    const error = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, '--size', 'huge']).then(
      () => assert.fail('expected a non-zero exit'),
      (failure: { code: number; stderr: string }) => failure,
    );
    assert.equal(error.code, 2);
    assert.equal(error.stderr, 'make-test-model: unknown --size "huge" (expected tiny or small)\n');
  });
});

// --- helpers ------------------------------------------------------------------------------------

function perLayer(names: (layer: number) => string[]): string[] {
  return Array.from({ length: nLayer }, (_, i) => names(i)).flat();
}

async function readJson(path: string) {
  return JSON.parse(await readFile(path, 'utf8'));
}

async function readGraph(path: string): Promise<onnx.IGraphProto> {
  const graph = onnxProto.ModelProto.decode(await readFile(path)).graph;
  assert.ok(graph, `${path} has no graph`);
  return graph;
}

function dimsOf(info: onnx.IValueInfoProto): Array<string | number> {
  return (info.type?.tensorType?.shape?.dim ?? []).map((dim) => dim.dimParam || Number(dim.dimValue));
}

/** Logits of a fixed 4-token prompt with an empty past. */
async function logitsOf(path: string, externalData?: ort.InferenceSession.SessionOptions['externalData']): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path, externalData ? { externalData } : {});
  try {
    const ids = [15496, 995, 50256, 40];
    const row = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
    const feeds: Record<string, ort.Tensor> = { input_ids: row(ids), attention_mask: row([1, 1, 1, 1]), position_ids: row([0, 1, 2, 3]) };
    for (const name of EXPECTED_INPUTS.slice(3)) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, nh, 0, hs]);
    return (await session.run(feeds)).logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

async function command(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await makeTestModelCommand(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
