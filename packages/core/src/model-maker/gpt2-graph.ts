/**
 * The GPT-2 (DialoGPT) decoder as an ONNX graph with Optimum's inputs and outputs:
 *
 *   input_ids                 int64   [batch_size, sequence_length]
 *   attention_mask            int64   [batch_size, total_sequence_length]
 *   position_ids              int64   [batch_size, sequence_length]
 *   past_key_values.{i}.key   float32 [batch_size, nh, past_sequence_length, hs]   (and .value)
 *   → logits                  float32 [batch_size, sequence_length, V]
 *   → present.{i}.key         float32 [batch_size, nh, total_sequence_length, hs]  (and .value)
 *
 * Dimension legend: B batch, T sequence_length, P past_sequence_length, S = P + T
 * total_sequence_length, C n_embd, V vocab, nh heads, hs = C / nh.
 *
 * Standard ONNX ops at opset 17 only. How weights enter a product (float MatMul, or int8 with
 * MatMulInteger) is left to a WeightFormat, so one graph description serves fp32 and quantized.
 */
import type { onnx } from 'onnx-proto';
import { headSize, type Gpt2Dimensions } from './model-sizes.js';
import { attribute, OnnxGraphBuilder } from './onnx-graph-builder.js';
import { DataType } from './onnx-proto.js';
import { weightNames } from './weights.js';

export const opsetVersion = 17; // LayerNormalization arrived in 17

/** Symbolic dimension names, as Optimum's GPT-2 export declares them. */
export const dimNames = {
  batch: 'batch_size',
  sequence: 'sequence_length',
  past: 'past_sequence_length',
  total: 'total_sequence_length',
} as const;

/** How the graph multiplies by stored weights. */
export interface WeightFormat {
  /** x · W for a weight stored [in, out] under checkpoint name `weight`. */
  matmul(graph: OnnxGraphBuilder, x: string, weight: string): string;
  /** Rows of the embedding table `wte` [V, C] for `ids`. */
  embeddingLookup(graph: OnnxGraphBuilder, wte: string, ids: string): string;
  /** The tied lm head: x [N, C] · wteᵀ → [N, V], reading the same wte initializer as the lookup. */
  tiedLmHead(graph: OnnxGraphBuilder, x: string, wte: string): string;
}

/** float32 weights used as stored. */
export const floatWeightFormat: WeightFormat = {
  matmul: (graph, x, weight) => graph.op1('MatMul', [x, weight]),
  embeddingLookup: (graph, wte, ids) => graph.op1('Gather', [wte, ids]),
  // Gemm reads wte transposed in place; a MatMul would need a transposed copy of the table.
  tiedLmHead: (graph, x, wte) => graph.op1('Gemm', [x, wte], { attributes: [attribute.int('transB', 1)] }),
};

export const inputNames = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  pastKey: (layer: number) => `past_key_values.${layer}.key`,
  pastValue: (layer: number) => `past_key_values.${layer}.value`,
};

export const outputNames = {
  logits: 'logits',
  presentKey: (layer: number) => `present.${layer}.key`,
  presentValue: (layer: number) => `present.${layer}.value`,
};

/** Masked attention scores become float32's lowest value, as in Hugging Face's GPT-2. */
const maskedScore = -3.4028234663852886e38;

export function buildGpt2Graph(dims: Gpt2Dimensions, format: WeightFormat, initializers: readonly onnx.ITensorProto[]): onnx.IGraphProto {
  const g = new OnnxGraphBuilder();
  for (const tensor of initializers) g.addInitializer(tensor);
  const { nLayer, nHead: nh, vocabSize: V } = dims;
  const hs = headSize(dims);
  const { batch, sequence, past, total } = dimNames;

  const inputIds = g.addInput(inputNames.inputIds, DataType.INT64, [batch, sequence]); // [B, T]
  const attentionMask = g.addInput(inputNames.attentionMask, DataType.INT64, [batch, total]); // [B, S]
  const positionIds = g.addInput(inputNames.positionIds, DataType.INT64, [batch, sequence]); // [B, T]
  const pastKeys: string[] = [];
  const pastValues: string[] = [];
  for (let layer = 0; layer < nLayer; layer++) {
    pastKeys.push(g.addInput(inputNames.pastKey(layer), DataType.FLOAT, [batch, nh, past, hs])); // [B, nh, P, hs]
    pastValues.push(g.addInput(inputNames.pastValue(layer), DataType.FLOAT, [batch, nh, past, hs])); // [B, nh, P, hs]
  }
  g.addOutput(outputNames.logits, DataType.FLOAT, [batch, sequence, V]);
  for (let layer = 0; layer < nLayer; layer++) {
    g.addOutput(outputNames.presentKey(layer), DataType.FLOAT, [batch, nh, total, hs]);
    g.addOutput(outputNames.presentValue(layer), DataType.FLOAT, [batch, nh, total, hs]);
  }

  let x = g.scope('transformer', () => {
    const tokens = format.embeddingLookup(g, weightNames.wte, inputIds); // [B, T, C]
    const positions = g.op1('Gather', [weightNames.wpe, positionIds]); // [B, T, C]
    return g.op1('Add', [tokens, positions]); // [B, T, C]
  });
  const visible = g.scope('transformer/mask', () => attentionVisibility(g, inputIds, attentionMask)); // [B, 1, T, S] bool
  for (let layer = 0; layer < nLayer; layer++) {
    x = g.scope(`transformer/h.${layer}`, () => block(g, dims, format, layer, x, visible, pastKeys[layer], pastValues[layer]));
  }
  g.scope('transformer/ln_f', () => {
    x = layerNorm(g, dims, x, weightNames.lnFWeight, weightNames.lnFBias); // [B, T, C]
  });
  g.scope('lm_head', () => {
    const flat = g.op1('Reshape', [x, g.int64([-1, dims.nEmbd])]); // [B*T, C]
    const flatLogits = format.tiedLmHead(g, flat, weightNames.wte); // [B*T, V]
    const batchAndSequence = g.op1('Shape', [inputIds]); // [2] = (B, T)
    const logitsShape = g.op1('Concat', [batchAndSequence, g.int64([V])], { attributes: [attribute.int('axis', 0)] }); // [3]
    g.op1('Reshape', [flatLogits, logitsShape], { outputs: [outputNames.logits] }); // [B, T, V]
  });
  return g.build('main_graph');
}

/**
 * Which keys each query may attend to: query t sits at absolute position P + t and sees keys
 * 0 … P+t whose attention_mask is 1. P is taken as S − T, so the mask fixes the total length.
 */
function attentionVisibility(g: OnnxGraphBuilder, inputIds: string, attentionMask: string): string {
  const scalar = (vector: string) => g.op1('Squeeze', [vector, g.int64([0])]); // [1] → []
  const sliceDim = (tensor: string, axis: number) =>
    g.op1('Shape', [tensor], { attributes: [attribute.int('start', axis), attribute.int('end', axis + 1)] }); // [1]
  const totalLength = scalar(sliceDim(attentionMask, 1)); // [] S
  const queryLength = scalar(sliceDim(inputIds, 1)); // [] T
  const pastLength = g.op1('Sub', [totalLength, queryLength]); // [] P
  const one = g.int64([1], []);
  const keyPositions = g.op1('Range', [g.int64([0], []), totalLength, one]); // [S]
  const queryPositions = g.op1('Range', [pastLength, totalLength, one]); // [T]
  const queryColumn = g.op1('Unsqueeze', [queryPositions, g.int64([1])]); // [T, 1]
  const causal = g.op1('LessOrEqual', [keyPositions, queryColumn]); // [T, S]
  const notPadding = g.op1('Cast', [attentionMask], { attributes: [attribute.int('to', DataType.BOOL)] }); // [B, S]
  const notPaddingRows = g.op1('Unsqueeze', [notPadding, g.int64([1, 2])]); // [B, 1, 1, S]
  return g.op1('And', [causal, notPaddingRows]); // [B, 1, T, S]
}

/** Pre-LayerNorm block: x + attn(ln_1(x)), then + mlp(ln_2(·)). */
function block(
  g: OnnxGraphBuilder,
  dims: Gpt2Dimensions,
  format: WeightFormat,
  layer: number,
  x: string, // [B, T, C]
  visible: string, // [B, 1, T, S]
  pastKey: string, // [B, nh, P, hs]
  pastValue: string, // [B, nh, P, hs]
): string {
  const name = weightNames.block.bind(weightNames, layer);
  const h1 = g.scope('ln_1', () => layerNorm(g, dims, x, name('ln_1', 'weight'), name('ln_1', 'bias'))); // [B, T, C]
  const attention = g.scope('attn', () => causalSelfAttention(g, dims, format, layer, h1, visible, pastKey, pastValue)); // [B, T, C]
  const x1 = g.op1('Add', [x, attention]); // [B, T, C]
  const h2 = g.scope('ln_2', () => layerNorm(g, dims, x1, name('ln_2', 'weight'), name('ln_2', 'bias'))); // [B, T, C]
  const mlpOut = g.scope('mlp', () => mlp(g, dims, format, layer, h2)); // [B, T, C]
  return g.op1('Add', [x1, mlpOut]); // [B, T, C]
}

function causalSelfAttention(
  g: OnnxGraphBuilder,
  dims: Gpt2Dimensions,
  format: WeightFormat,
  layer: number,
  h: string, // [B, T, C]
  visible: string, // [B, 1, T, S]
  pastKey: string, // [B, nh, P, hs]
  pastValue: string, // [B, nh, P, hs]
): string {
  const C = dims.nEmbd;
  const nh = dims.nHead;
  const hs = headSize(dims);
  const name = weightNames.block.bind(weightNames, layer);
  const qkv = g.scope('c_attn', () => linear(g, format, h, name('attn.c_attn', 'weight'), name('attn.c_attn', 'bias'))); // [B, T, 3C]
  const [q, k, v] = g.op('Split', [qkv, g.int64([C, C, C])], { attributes: [attribute.int('axis', 2)], outputCount: 3 }); // 3 × [B, T, C]
  const toHeads = (t: string) => {
    const split = g.op1('Reshape', [t, g.int64([0, 0, nh, hs])]); // [B, T, nh, hs]
    return g.op1('Transpose', [split], { attributes: [attribute.ints('perm', [0, 2, 1, 3])] }); // [B, nh, T, hs]
  };
  const concatAxis2 = { attributes: [attribute.int('axis', 2)] };
  const key = g.op1('Concat', [pastKey, toHeads(k)], { ...concatAxis2, outputs: [outputNames.presentKey(layer)] }); // [B, nh, S, hs]
  const value = g.op1('Concat', [pastValue, toHeads(v)], { ...concatAxis2, outputs: [outputNames.presentValue(layer)] }); // [B, nh, S, hs]

  const keyT = g.op1('Transpose', [key], { attributes: [attribute.ints('perm', [0, 1, 3, 2])] }); // [B, nh, hs, S]
  const scores = g.op1('MatMul', [toHeads(q), keyT]); // [B, nh, T, S]
  const scaled = g.op1('Mul', [scores, g.float32(1 / Math.sqrt(hs))]); // [B, nh, T, S]
  const masked = g.op1('Where', [visible, scaled, g.float32(maskedScore)]); // [B, nh, T, S]
  const weights = g.op1('Softmax', [masked], { attributes: [attribute.int('axis', -1)] }); // [B, nh, T, S]
  const y = g.op1('MatMul', [weights, value]); // [B, nh, T, hs]
  const yT = g.op1('Transpose', [y], { attributes: [attribute.ints('perm', [0, 2, 1, 3])] }); // [B, T, nh, hs]
  const merged = g.op1('Reshape', [yT, g.int64([0, 0, C])]); // [B, T, C]
  return g.scope('c_proj', () => linear(g, format, merged, name('attn.c_proj', 'weight'), name('attn.c_proj', 'bias'))); // [B, T, C]
}

function mlp(g: OnnxGraphBuilder, dims: Gpt2Dimensions, format: WeightFormat, layer: number, h: string /* [B, T, C] */): string {
  const name = weightNames.block.bind(weightNames, layer);
  const f = g.scope('c_fc', () => linear(g, format, h, name('mlp.c_fc', 'weight'), name('mlp.c_fc', 'bias'))); // [B, T, 4C]
  const activated = g.scope('act', () => geluNew(g, f)); // [B, T, 4C]
  return g.scope('c_proj', () => linear(g, format, activated, name('mlp.c_proj', 'weight'), name('mlp.c_proj', 'bias'))); // [B, T, C]
}

/** 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))), written as Hugging Face's export writes it. */
function geluNew(g: OnnxGraphBuilder, x: string): string {
  const cube = g.op1('Pow', [x, g.float32(3)]);
  const inner = g.op1('Add', [x, g.op1('Mul', [cube, g.float32(0.044715)])]);
  const tanh = g.op1('Tanh', [g.op1('Mul', [inner, g.float32(Math.sqrt(2 / Math.PI))])]);
  return g.op1('Mul', [g.op1('Mul', [x, g.float32(0.5)]), g.op1('Add', [tanh, g.float32(1)])]);
}

function linear(g: OnnxGraphBuilder, format: WeightFormat, x: string, weight: string, bias: string): string {
  return g.op1('Add', [format.matmul(g, x, weight), bias]);
}

function layerNorm(g: OnnxGraphBuilder, dims: Gpt2Dimensions, x: string, weight: string, bias: string): string {
  return g.op1('LayerNormalization', [x, weight, bias], {
    attributes: [attribute.int('axis', -1), attribute.float('epsilon', dims.layerNormEpsilon)],
  });
}
