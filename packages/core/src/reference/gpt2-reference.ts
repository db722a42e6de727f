/**
 * A plain float64 GPT-2 forward pass (nanoGPT style): the yardstick the generated ONNX graphs are
 * tested against. Slow and simple on purpose; one sequence at a time (B = 1).
 *
 * Dimension legend:
 *   T   tokens in this call
 *   P   tokens already in the KV cache (past); S = P + T
 *   C   embedding width (n_embd)
 *   V   vocabulary size
 *   nh  attention heads (n_head)
 *   hs  head size, C / nh
 *
 * Tensors are row-major Float64Arrays; the shape comment on each line gives their layout.
 */
import { headSize, type Gpt2Dimensions } from '../model-maker/model-sizes.js';
import { weightNames, type Gpt2Weights } from '../model-maker/weights.js';

export interface Gpt2ReferenceModel {
  dims: Gpt2Dimensions;
  weights: Gpt2Weights;
}

/** Keys and values of every layer, laid out like the ONNX `present.{i}.key|value` for B = 1. */
export interface KvCache {
  /** S: positions held. */
  length: number;
  layers: Array<{ key: Float64Array /* [nh, S, hs] */; value: Float64Array /* [nh, S, hs] */ }>;
}

export interface ForwardOptions {
  /** Cache from a previous call; empty when absent. */
  past?: KvCache;
  /** [S] 1 = attend, 0 = padding; all ones when absent. */
  attentionMask?: readonly number[];
  /** [T] absolute positions; P … P+T-1 when absent. */
  positionIds?: readonly number[];
}

export interface ForwardResult {
  logits: Float64Array; // [T, V]
  present: KvCache;
}

export function emptyKvCache(dims: Gpt2Dimensions): KvCache {
  const layers = Array.from({ length: dims.nLayer }, () => ({ key: new Float64Array(0), value: new Float64Array(0) }));
  return { length: 0, layers };
}

/** Logits for every input position, and the cache extended by the input tokens. */
export function gpt2Forward(model: Gpt2ReferenceModel, inputIds: readonly number[], options: ForwardOptions = {}): ForwardResult {
  const { dims } = model;
  const T = inputIds.length;
  const past = options.past ?? emptyKvCache(dims);
  const P = past.length;
  const S = P + T;
  const attentionMask = options.attentionMask ?? new Array<number>(S).fill(1);
  const positionIds = options.positionIds ?? inputIds.map((_, t) => P + t);
  if (attentionMask.length !== S) throw new RangeError(`attentionMask has ${attentionMask.length} entries, expected past + tokens = ${S}`);
  if (positionIds.length !== T) throw new RangeError(`positionIds has ${positionIds.length} entries, expected ${T}`);

  let x = embed(model, inputIds, positionIds); // [T, C]
  const present: KvCache = { length: S, layers: [] };
  for (let layer = 0; layer < dims.nLayer; layer++) {
    const result = block(model, layer, x, T, past.layers[layer], P, attentionMask);
    x = result.x; // [T, C]
    present.layers.push(result.cache);
  }
  const w = model.weights;
  const h = layerNorm(x, T, dims.nEmbd, weight(w, weightNames.lnFWeight), weight(w, weightNames.lnFBias), dims.layerNormEpsilon); // [T, C]
  const logits = lmHead(model, h, T); // [T, V]
  return { logits, present };
}

export interface GreedyOptions {
  /** Stop after emitting this token (it is included in the result). */
  eosTokenId?: number;
}

/** Greedy decoding with the KV cache: prefill the prompt, then one token per step. */
export function greedyGenerate(model: Gpt2ReferenceModel, promptIds: readonly number[], maxNewTokens: number, options: GreedyOptions = {}): number[] {
  const V = model.dims.vocabSize;
  const generated: number[] = [];
  let result = gpt2Forward(model, promptIds);
  let lastRow = result.logits.subarray((promptIds.length - 1) * V); // [V]
  while (generated.length < maxNewTokens) {
    const next = argmax(lastRow);
    generated.push(next);
    if (next === options.eosTokenId || generated.length === maxNewTokens) break;
    result = gpt2Forward(model, [next], { past: result.present });
    lastRow = result.logits; // [1, V]
  }
  return generated;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

// --- blocks -------------------------------------------------------------------------------------

function embed(model: Gpt2ReferenceModel, inputIds: readonly number[], positionIds: readonly number[]): Float64Array {
  const C = model.dims.nEmbd;
  const wte = weight(model.weights, weightNames.wte); // [V, C]
  const wpe = weight(model.weights, weightNames.wpe); // [nPositions, C]
  const x = new Float64Array(inputIds.length * C); // [T, C]
  inputIds.forEach((id, t) => {
    for (let c = 0; c < C; c++) x[t * C + c] = wte[id * C + c] + wpe[positionIds[t] * C + c];
  });
  return x;
}

/** Pre-LayerNorm transformer block: x + attn(ln_1(x)), then + mlp(ln_2(·)). */
function block(
  model: Gpt2ReferenceModel,
  layer: number,
  x: Float64Array, // [T, C]
  T: number,
  past: KvCache['layers'][number],
  P: number,
  attentionMask: readonly number[],
): { x: Float64Array; cache: KvCache['layers'][number] } {
  const { dims, weights } = model;
  const C = dims.nEmbd;
  const name = (part: Parameters<typeof weightNames.block>[1], kind: 'weight' | 'bias') => weight(weights, weightNames.block(layer, part, kind));

  const h1 = layerNorm(x, T, C, name('ln_1', 'weight'), name('ln_1', 'bias'), dims.layerNormEpsilon); // [T, C]
  const attention = causalSelfAttention(model, layer, h1, T, past, P, attentionMask);
  const x1 = add(x, attention.y); // [T, C]
  const h2 = layerNorm(x1, T, C, name('ln_2', 'weight'), name('ln_2', 'bias'), dims.layerNormEpsilon); // [T, C]
  const x2 = add(x1, mlp(model, layer, h2, T)); // [T, C]
  return { x: x2, cache: { key: attention.key, value: attention.value } };
}

function causalSelfAttention(
  model: Gpt2ReferenceModel,
  layer: number,
  h: Float64Array, // [T, C]
  T: number,
  past: KvCache['layers'][number],
  P: number,
  attentionMask: readonly number[],
): { y: Float64Array; key: Float64Array; value: Float64Array } {
  const { dims, weights } = model;
  const C = dims.nEmbd;
  const nh = dims.nHead;
  const hs = headSize(dims);
  const S = P + T;
  const qkv = linear(h, T, C, 3 * C, weight(weights, weightNames.block(layer, 'attn.c_attn', 'weight')), weight(weights, weightNames.block(layer, 'attn.c_attn', 'bias'))); // [T, 3C]

  // Split q | k | v and append this call's keys and values to the cache.
  const q = new Float64Array(nh * T * hs); // [nh, T, hs]
  const key = new Float64Array(nh * S * hs); // [nh, S, hs]
  const value = new Float64Array(nh * S * hs); // [nh, S, hs]
  for (let head = 0; head < nh; head++) {
    key.set(past.key.subarray(head * P * hs, (head + 1) * P * hs), head * S * hs);
    value.set(past.value.subarray(head * P * hs, (head + 1) * P * hs), head * S * hs);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < hs; d++) {
        const column = head * hs + d;
        q[(head * T + t) * hs + d] = qkv[t * 3 * C + column];
        key[(head * S + P + t) * hs + d] = qkv[t * 3 * C + C + column];
        value[(head * S + P + t) * hs + d] = qkv[t * 3 * C + 2 * C + column];
      }
    }
  }

  const y = new Float64Array(T * C); // [T, C] heads side by side
  const scale = 1 / Math.sqrt(hs);
  const scores = new Float64Array(S); // [S]
  for (let head = 0; head < nh; head++) {
    for (let t = 0; t < T; t++) {
      // Query t sits at absolute position P + t: it sees keys 0 … P+t that are not padding.
      const visible = (s: number) => s <= P + t && attentionMask[s] !== 0;
      let anyVisible = false;
      let max = -Infinity;
      for (let s = 0; s < S; s++) {
        if (!visible(s)) continue;
        anyVisible = true;
        let dot = 0;
        for (let d = 0; d < hs; d++) dot += q[(head * T + t) * hs + d] * key[(head * S + s) * hs + d];
        scores[s] = dot * scale;
        if (scores[s] > max) max = scores[s];
      }
      // A query that sees nothing (a left-padding position) attends evenly to every key, as the
      // ONNX graph and Hugging Face's eager attention do when they fill masked scores with a constant.
      let sum = 0;
      for (let s = 0; s < S; s++) {
        scores[s] = anyVisible ? (visible(s) ? Math.exp(scores[s] - max) : 0) : 1;
        sum += scores[s];
      }
      for (let s = 0; s < S; s++) {
        const p = scores[s] / sum;
        if (p === 0) continue;
        for (let d = 0; d < hs; d++) y[t * C + head * hs + d] += p * value[(head * S + s) * hs + d];
      }
    }
  }
  const projected = linear(y, T, C, C, weight(weights, weightNames.block(layer, 'attn.c_proj', 'weight')), weight(weights, weightNames.block(layer, 'attn.c_proj', 'bias'))); // [T, C]
  return { y: projected, key, value };
}

function mlp(model: Gpt2ReferenceModel, layer: number, h: Float64Array /* [T, C] */, T: number): Float64Array {
  const { dims, weights } = model;
  const C = dims.nEmbd;
  const name = (part: 'mlp.c_fc' | 'mlp.c_proj', kind: 'weight' | 'bias') => weight(weights, weightNames.block(layer, part, kind));
  const f = linear(h, T, C, 4 * C, name('mlp.c_fc', 'weight'), name('mlp.c_fc', 'bias')); // [T, 4C]
  for (let i = 0; i < f.length; i++) f[i] = geluNew(f[i]); // [T, 4C]
  return linear(f, T, 4 * C, C, name('mlp.c_proj', 'weight'), name('mlp.c_proj', 'bias')); // [T, C]
}

/** Tied lm head: logits = h · wteᵀ. */
function lmHead(model: Gpt2ReferenceModel, h: Float64Array /* [T, C] */, T: number): Float64Array {
  const { nEmbd: C, vocabSize: V } = model.dims;
  const wte = weight(model.weights, weightNames.wte); // [V, C]
  const logits = new Float64Array(T * V); // [T, V]
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      let dot = 0;
      for (let c = 0; c < C; c++) dot += h[t * C + c] * wte[v * C + c];
      logits[t * V + v] = dot;
    }
  }
  return logits;
}

// --- primitives ---------------------------------------------------------------------------------

function layerNorm(x: Float64Array /* [T, C] */, T: number, C: number, gamma: Float32Array, beta: Float32Array, epsilon: number): Float64Array {
  const out = new Float64Array(T * C); // [T, C]
  for (let t = 0; t < T; t++) {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += x[t * C + c];
    mean /= C;
    let variance = 0;
    for (let c = 0; c < C; c++) variance += (x[t * C + c] - mean) ** 2;
    variance /= C;
    const inverseStd = 1 / Math.sqrt(variance + epsilon);
    for (let c = 0; c < C; c++) out[t * C + c] = (x[t * C + c] - mean) * inverseStd * gamma[c] + beta[c];
  }
  return out;
}

/** x · W + b with W stored [in, out] (GPT-2's Conv1D layout). */
function linear(x: Float64Array /* [T, in] */, T: number, inputs: number, outputs: number, w: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(T * outputs); // [T, out]
  for (let t = 0; t < T; t++) {
    const row = out.subarray(t * outputs, (t + 1) * outputs); // [out]
    for (let o = 0; o < outputs; o++) row[o] = b[o];
    for (let i = 0; i < inputs; i++) {
      const xi = x[t * inputs + i];
      for (let o = 0; o < outputs; o++) row[o] += xi * w[i * outputs + o];
    }
  }
  return out;
}

/** GPT-2's tanh approximation of GELU ("gelu_new"). */
function geluNew(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

function weight(weights: Gpt2Weights, name: string): Float32Array {
  const values = weights.get(name);
  if (!values) throw new Error(`missing weight ${name}`);
  return values;
}
