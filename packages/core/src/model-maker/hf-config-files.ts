/** `config.json` and `generation_config.json` as microsoft/DialoGPT-* ship them, plus a `tabwise` note. */
import { endOfTextTokenId, type Gpt2Dimensions, type ModelSize } from './model-sizes.js';

export interface GeneratedModelInfo {
  size: ModelSize;
  seed: number;
  /** Whether the .onnx files keep their weights in `{file}_data`. */
  externalData: boolean;
}

export function gpt2ConfigJson(dims: Gpt2Dimensions, info: GeneratedModelInfo): object {
  return {
    activation_function: 'gelu_new',
    architectures: ['GPT2LMHeadModel'],
    attn_pdrop: 0.1,
    bos_token_id: endOfTextTokenId,
    embd_pdrop: 0.1,
    eos_token_id: endOfTextTokenId,
    initializer_range: 0.02,
    layer_norm_epsilon: dims.layerNormEpsilon,
    model_type: 'gpt2',
    n_ctx: dims.nPositions,
    n_embd: dims.nEmbd,
    n_head: dims.nHead,
    n_inner: null,
    n_layer: dims.nLayer,
    n_positions: dims.nPositions,
    resid_pdrop: 0.1,
    scale_attn_weights: true,
    task_specific_params: { conversational: { max_length: 1000 } },
    use_cache: true,
    vocab_size: dims.vocabSize,
    // transformers.js only fetches `{file}_data` when told to.
    ...(info.externalData ? { 'transformers.js_config': { use_external_data_format: true } } : {}),
    tabwise: { generated: true, seed: info.seed, size: info.size },
  };
}

export function generationConfigJson(): object {
  return {
    bos_token_id: endOfTextTokenId,
    eos_token_id: endOfTextTokenId,
    max_length: 1000,
  };
}
