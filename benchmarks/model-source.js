// Where a model's files are, for each engine: a generated model ('tiny', 'small') is a folder under
// /models/ on this server; anything with a slash is a Hugging Face Hub id.

// tabwise's own dtype → file-suffix table: from the drop-in bundle in the page, the package in Node.
const { dtypeFileSuffix } = await import(typeof window === 'undefined' ? '@tabwise/core' : '../dist/tabwise.js');

/**
 * @typedef {{ spec: string, local: boolean, baseUrl: string, tabwise: string,
 *   transformers: { model: string, localModelPath: string } }} ModelSource
 */

/** @returns {ModelSource} */
export function modelSource(spec, revision = 'main') {
  if (/^[\w.-]+$/.test(spec)) {
    const baseUrl = new URL(`../models/${spec}/`, import.meta.url).href;
    // transformers.js joins localModelPath and the id itself, and wants a path, not a URL.
    return { spec, local: true, baseUrl, tabwise: baseUrl, transformers: { model: spec, localModelPath: new URL(baseUrl).pathname.replace(/[^/]+\/$/, '') } };
  }
  const baseUrl = `https://huggingface.co/${spec}/resolve/${revision}/`;
  return { spec, local: false, baseUrl, tabwise: spec, transformers: { model: spec, localModelPath: '' } };
}

/** ONNX files (and their external data) of a dtype, as transformers.js and Optimum name them. */
export function onnxFiles(dtype) {
  const suffix = dtypeFileSuffix[dtype];
  return [`onnx/model${suffix}.onnx`, `onnx/model${suffix}.onnx_data`];
}

/** Bytes of weights a decode step reads: the ONNX files of `dtype` (0 for a file that is absent). */
export async function weightBytes(source, dtype) {
  let total = 0;
  for (const file of onnxFiles(dtype)) {
    const response = await fetch(new URL(file, source.baseUrl), { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
    if (response?.ok) total += Number(response.headers.get('content-length') ?? 0);
  }
  return total;
}

/** n_layer, n_embd and friends from config.json (for the KV cache size). */
export async function modelDimensions(source) {
  const config = await (await fetch(new URL('config.json', source.baseUrl), { cache: 'no-store' })).json();
  return { layers: config.n_layer, width: config.n_embd, heads: config.n_head, positions: config.n_positions };
}

/** Bytes of a float32 GPT-2 KV cache over `positions` positions: key and value, every layer. */
export function kvCacheBytes({ layers, width }, positions) {
  return 2 * layers * positions * width * 4;
}
