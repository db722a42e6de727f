// The parts of a GPT-2 config.json the engine needs, read with the Hugging Face names.

export interface ModelConfig {
  numLayers: number;
  numHeads: number;
  hiddenSize: number;
  headSize: number;
  vocabSize: number;
  maxPositions: number;
  eosTokenId: number;
  bosTokenId: number;
}

export function readModelConfig(json: Record<string, unknown>, file = 'config.json'): ModelConfig {
  const number = (...keys: string[]): number => {
    for (const key of keys) {
      const value = json[key];
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    }
    throw new TypeError(`${file}: missing or invalid ${keys.join(' / ')}`);
  };
  const numHeads = number('n_head', 'num_attention_heads');
  const hiddenSize = number('n_embd', 'hidden_size');
  const eos = typeof json.eos_token_id === 'number' ? json.eos_token_id : 50256;
  return {
    numLayers: number('n_layer', 'num_hidden_layers'),
    numHeads,
    hiddenSize,
    headSize: hiddenSize / numHeads,
    vocabSize: number('vocab_size'),
    maxPositions: number('n_positions', 'n_ctx', 'max_position_embeddings'),
    eosTokenId: eos,
    bosTokenId: typeof json.bos_token_id === 'number' ? json.bos_token_id : eos,
  };
}
