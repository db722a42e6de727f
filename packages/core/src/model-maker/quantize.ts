/**
 * int8 weights the way onnxruntime's dynamic quantization (`quantize_dynamic`, QInt8, per tensor)
 * stores them: `{name}_quantized` int8 with symmetric `{name}_scale` and `{name}_zero_point` = 0.
 * Activations are quantized at run time with DynamicQuantizeLinear and multiplied with
 * MatMulInteger; the embedding is gathered as int8 and dequantized. Standard ONNX ops only.
 */
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { attribute } from './onnx-graph-builder.js';
import { DataType } from './onnx-proto.js';
import type { WeightFormat } from './gpt2-graph.js';

export interface QuantizedTensor {
  values: Int8Array;
  /** float32-exact: value ≈ quantized × scale. */
  scale: number;
}

export const quantizedNames = {
  values: (weight: string) => `${weight}_quantized`,
  scale: (weight: string) => `${weight}_scale`,
  zeroPoint: (weight: string) => `${weight}_zero_point`,
};

/** Symmetric per-tensor int8: scale = max|w| / 127, zero point 0. */
export function quantizeSymmetricInt8(weights: Float32Array): QuantizedTensor {
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]));
  const scale = Math.fround(maxAbs > 0 ? maxAbs / 127 : 1);
  const values = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    values[i] = Math.max(-127, Math.min(127, Math.round(weights[i] / scale)));
  }
  return { values, scale };
}

export const int8WeightFormat: WeightFormat = {
  matmul: (graph, x, weight) => quantizedMatMul(graph, x, quantizedNames.values(weight), weight),

  embeddingLookup(graph, wte, ids) {
    const rows = graph.op1('Gather', [quantizedNames.values(wte), ids]); // [B, T, C] int8
    return graph.op1('DequantizeLinear', [rows, quantizedNames.scale(wte), quantizedNames.zeroPoint(wte)]); // [B, T, C]
  },

  tiedLmHead(graph, x, wte) {
    // onnxruntime folds this Transpose of a constant once, at session creation; the file keeps
    // a single int8 wte shared with the lookup.
    const wteT = graph.op1('Transpose', [quantizedNames.values(wte)], { attributes: [attribute.ints('perm', [1, 0])] }); // [C, V] int8
    return quantizedMatMul(graph, x, wteT, wte);
  },
};

/** x · W with W int8: quantize x to uint8, integer product, then rescale by both scales. */
function quantizedMatMul(graph: OnnxGraphBuilder, x: string, quantizedWeight: string, weight: string): string {
  const [xQuantized, xScale, xZeroPoint] = graph.op('DynamicQuantizeLinear', [x], { outputCount: 3 });
  const product = graph.op1('MatMulInteger', [xQuantized, quantizedWeight, xZeroPoint, quantizedNames.zeroPoint(weight)]); // int32
  const productFloat = graph.op1('Cast', [product], { attributes: [attribute.int('to', DataType.FLOAT)] });
  const scale = graph.op1('Mul', [xScale, quantizedNames.scale(weight)]);
  return graph.op1('Mul', [productFloat, scale]);
}
