/**
 * Writes a DialoGPT-architecture model with seeded random weights in the Hugging Face / Optimum
 * layout, so the engine loads it by the same code path as a Hub model:
 *
 *   config.json  generation_config.json  tokenizer.json  tokenizer_config.json
 *   onnx/model.onnx            (+ model.onnx_data when large)            fp32
 *   onnx/model_quantized.onnx  (+ model_quantized.onnx_data when large)  int8 weights
 *
 * The same (size, seed) always gives byte-identical files.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildGpt2Graph, floatWeightFormat, opsetVersion, type WeightFormat } from './gpt2-graph.js';
import { gpt2ConfigJson, generationConfigJson } from './hf-config-files.js';
import { InitializerWriter } from './initializer-writer.js';
import { isModelSize, modelSizes, type Gpt2Dimensions, type ModelSize } from './model-sizes.js';
import { encodeModel, modelProto } from './onnx-graph-builder.js';
import { DataType } from './onnx-proto.js';
import { int8WeightFormat, quantizedNames, quantizeSymmetricInt8 } from './quantize.js';
import { writeTokenizerFiles } from './tokenizer-files.js';
import { generateWeight, gpt2WeightSpecs, type WeightSpec } from './weights.js';

/** Above this many bytes of fp32 weights, both models keep their weights in external data files. */
export const externalDataThresholdBytes = 100 * 1024 * 1024;

export interface MakeTestModelOptions {
  size: ModelSize;
  outDir: string;
  /** Unsigned 32-bit integer; default 0. */
  seed?: number;
  /** Also write onnx/model_quantized.onnx; default true. */
  quantized?: boolean;
  /** 'auto' (default): external data when the fp32 weights exceed 100 MiB. */
  externalData?: 'auto' | boolean;
}

export interface MakeTestModelResult {
  outDir: string;
  dims: Gpt2Dimensions;
  externalData: boolean;
  /** Paths relative to outDir, with their sizes. */
  files: Array<{ path: string; bytes: number }>;
}

/** Bad options or a failed write; `message` is one line meant for the user. */
export class MakeTestModelError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MakeTestModelError';
  }
}

interface OnnxTarget {
  file: string;
  format: WeightFormat;
  writer: InitializerWriter;
}

export async function makeTestModel(options: MakeTestModelOptions): Promise<MakeTestModelResult> {
  const { size, outDir, seed = 0, quantized = true, externalData = 'auto' } = options;
  if (!isModelSize(size)) throw new MakeTestModelError(`unknown size "${size}" (expected ${Object.keys(modelSizes).join(' or ')})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new MakeTestModelError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  const dims = modelSizes[size];
  const specs = gpt2WeightSpecs(dims);
  const fp32Bytes = specs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  const useExternalData = externalData === 'auto' ? fp32Bytes > externalDataThresholdBytes : externalData;

  const onnxDir = join(outDir, 'onnx');
  await withWriteErrors(outDir, () => makeDirectory(onnxDir));
  const files: string[] = [];
  const writeJson = async (name: string, value: object) => {
    await withWriteErrors(join(outDir, name), () => writeFile(join(outDir, name), `${JSON.stringify(value, null, 2)}\n`));
    files.push(name);
  };
  await writeJson('config.json', gpt2ConfigJson(dims, { size, seed, externalData: useExternalData }));
  await writeJson('generation_config.json', generationConfigJson());
  files.push(...(await withWriteErrors(outDir, () => writeTokenizerFiles(outDir))));

  const openTarget = async (file: string, format: WeightFormat): Promise<OnnxTarget> => {
    const dataFile = `${file}_data`;
    const writer = useExternalData
      ? await withWriteErrors(join(onnxDir, dataFile), () => InitializerWriter.external(join(onnxDir, dataFile), dataFile))
      : InitializerWriter.inline();
    return { file, format, writer };
  };
  const fp32 = await openTarget('model.onnx', floatWeightFormat);
  const int8 = quantized ? await openTarget('model_quantized.onnx', int8WeightFormat) : undefined;

  const targets = int8 ? [fp32, int8] : [fp32];
  await withWriteErrors(onnxDir, async () => {
    // An interrupted run must not leave an old, complete-looking .onnx beside new data.
    await Promise.all(targets.map((target) => rm(join(onnxDir, target.file), { force: true })));
    await writeWeights(specs, seed, fp32.writer, int8?.writer);
  });

  for (const target of targets) {
    if (useExternalData) files.push(`onnx/${target.file}_data`);
    const model = modelProto(buildGpt2Graph(dims, target.format, target.writer.initializers), opsetVersion);
    // Written last and renamed into place: an existing .onnx file means a complete model.
    const path = join(onnxDir, target.file);
    await withWriteErrors(path, async () => {
      await writeFile(`${path}.partial`, encodeModel(model));
      await rename(`${path}.partial`, path);
    });
    files.push(`onnx/${target.file}`);
  }

  const sized = await Promise.all(files.map(async (path) => ({ path, bytes: (await stat(join(outDir, path))).size })));
  return { outDir, dims, externalData: useExternalData, files: sized };
}

/** One weight in memory at a time: generate it, add it as fp32, then as int8. Closes the writers. */
async function writeWeights(specs: readonly WeightSpec[], seed: number, fp32: InitializerWriter, int8: InitializerWriter | undefined): Promise<void> {
  try {
    for (const spec of specs) {
      const values = generateWeight(spec, seed);
      await fp32.add(spec.name, DataType.FLOAT, spec.shape, values);
      if (!int8) continue;
      if (spec.quantization === 'none') {
        await int8.add(spec.name, DataType.FLOAT, spec.shape, values);
        continue;
      }
      const { values: quantizedValues, scale } = quantizeSymmetricInt8(values);
      await int8.add(quantizedNames.values(spec.name), DataType.INT8, spec.shape, quantizedValues);
      await int8.add(quantizedNames.scale(spec.name), DataType.FLOAT, [], Float32Array.of(scale));
      await int8.add(quantizedNames.zeroPoint(spec.name), DataType.INT8, [], Int8Array.of(0));
    }
  } finally {
    await Promise.all([fp32.close(), int8?.close()]);
  }
}

/**
 * mkdir -p. Not `mkdir(path, { recursive: true })`: in Node 20 that never returns for paths
 * where mkdir fails with ENOENT although the parent exists, such as /proc/x.
 */
async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(path)).isDirectory()) return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    await makeDirectory(parent);
    await mkdir(path);
  }
}

/** Turns file-system failures into a one-line MakeTestModelError naming the path. */
async function withWriteErrors<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof MakeTestModelError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MakeTestModelError(`cannot write ${path} (${reason})`, { cause: error });
  }
}
