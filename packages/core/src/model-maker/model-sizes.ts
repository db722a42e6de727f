/** Shapes of the generated DialoGPT-architecture models (GPT-2 with the real GPT-2 vocabulary). */
export interface Gpt2Dimensions {
  /** Number of transformer blocks. */
  nLayer: number;
  /** Embedding width C. */
  nEmbd: number;
  /** Attention heads nh; head size hs = nEmbd / nHead. */
  nHead: number;
  /** Vocabulary size V; 50257 so the real GPT-2 tokenizer fits. */
  vocabSize: number;
  /** Learned positions, i.e. the longest context. */
  nPositions: number;
  layerNormEpsilon: number;
}

export type ModelSize = 'tiny' | 'small';

export const gpt2VocabSize = 50257;
export const endOfTextTokenId = 50256;

export const modelSizes: Readonly<Record<ModelSize, Readonly<Gpt2Dimensions>>> = {
  // A few MB; the vocabulary dominates (50257 × 32 floats).
  tiny: { nLayer: 2, nEmbd: 32, nHead: 4, vocabSize: gpt2VocabSize, nPositions: 1024, layerNormEpsilon: 1e-5 },
  // microsoft/DialoGPT-small: 124M parameters.
  small: { nLayer: 12, nEmbd: 768, nHead: 12, vocabSize: gpt2VocabSize, nPositions: 1024, layerNormEpsilon: 1e-5 },
};

export function isModelSize(value: string): value is ModelSize {
  return Object.hasOwn(modelSizes, value);
}

export function headSize(dims: Gpt2Dimensions): number {
  return dims.nEmbd / dims.nHead;
}
