// On WASM, onnxruntime-web copies every output out of its heap into a fresh typed array on every
// run, so a GPT-2 graph's `present.*` outputs (the whole cache, [B, nh, P + T, hs]) cost a copy
// and an allocation that grow with the chat (docs/decisions/latency.md). The graph computes each
// present as `Concat(past, new)`; this adds that `new` ([B, nh, T, hs]) as a graph output of its
// own, so a run can fetch only the new positions and the engine writes them into its own cache, in
// place (OnnxDecoder keeps room after a cache's positions, fed with attention_mask 0).
//
// The model bytes are not re-encoded: a protobuf parser merges a repeated embedded-message field,
// so a second `graph` field appended after the model (holding only the extra outputs) adds them to
// the graph. onnx-proto is imported when a WASM session is built, so the page-side bundles (which
// never build one) leave it out. The presents are named from the graph's own past inputs, as the
// decoder names them, so the loader can begin this as soon as the graph's bytes are in, beside the
// external data's read, before config.json is parsed.
import type { onnx } from 'onnx-proto';
import { loadOnnxProto } from './onnx-proto-loader.js';

/**
 * A GPT-2 graph's past inputs (`past_key_values.{layer}.{key|value}`), in the graph's order, and the
 * present output each comes back as. The decoder and the graph edit name the caches this one way.
 */
export function pastAndPresentNames(inputNames: readonly string[]): { pastNames: string[]; presentNames: string[] } {
  const pastNames = inputNames.filter((name) => name.startsWith('past_key_values.'));
  return { pastNames, presentNames: pastNames.map((name) => name.replace('past_key_values.', 'present.')) };
}

/** present name → the graph output that holds only the new positions of it. */
export type NewKvOutputs = Record<string, string>;

export interface WithNewKvOutputs {
  model: Uint8Array;
  newOutputs: NewKvOutputs;
}

/**
 * The model with each present's new positions as an extra output, or undefined where the graph is
 * not built that way (a merged decoder's `If` branches, a fused attention op): the caller then
 * fetches the presents as before.
 */
export async function withNewKvOutputs(model: Uint8Array): Promise<WithNewKvOutputs | undefined> {
  const { onnxProto } = await loadOnnxProto();
  const graph = onnxProto.ModelProto.decode(model).graph;
  const inputs = (graph?.input ?? []).map((input) => input.name ?? '');
  // The engine keeps room after a cache's positions, masked; that keeps positions right only where
  // they are fed explicitly.
  if (!graph || !inputs.includes('position_ids')) return undefined;
  const { presentNames } = pastAndPresentNames(inputs);
  if (presentNames.length === 0) return undefined;
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) for (const output of node.output ?? []) producers.set(output, node);
  const outputs = new Map((graph.output ?? []).map((info) => [info.name, info]));
  const added: onnx.IValueInfoProto[] = [];
  const newOutputs: NewKvOutputs = {};
  for (const present of presentNames) {
    const concat = producers.get(present);
    const info = outputs.get(present);
    if (!concat || concat.opType !== 'Concat' || concat.input?.length !== 2 || !info) return undefined;
    const axis = concat.attribute?.find((attribute) => attribute.name === 'axis')?.i;
    if (Number(axis) !== 2 && Number(axis) !== -2) return undefined;
    const fresh = concat.input[1];
    if (outputs.has(fresh)) return undefined;
    newOutputs[present] = fresh;
    // Same element type and rank as the present; the sequence dimension is this run's T.
    const type = info.type?.tensorType;
    const dims = type?.shape?.dim ?? [];
    const dim = [{ dimParam: 'batch_size' }, dims[1] ?? { dimParam: 'num_heads' }, { dimParam: 'new_sequence_length' }, dims[3] ?? { dimParam: 'head_size' }];
    added.push({ name: fresh, type: { tensorType: { elemType: type?.elemType, shape: { dim } } } });
  }
  const patch = onnxProto.ModelProto.encode({ graph: { output: added } }).finish();
  const patched = new Uint8Array(model.byteLength + patch.byteLength);
  patched.set(model);
  patched.set(patch, model.byteLength);
  return { model: patched, newOutputs };
}
