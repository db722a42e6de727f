// Generated DialoGPT-architecture models (Node only): the public names, one by one.

// Writing a model directory
export { makeTestModel, MakeTestModelError, EXTERNAL_DATA_THRESHOLD_BYTES } from './make-test-model.js';
export type { MakeTestModelOptions, MakeTestModelResult } from './make-test-model.js';

// Sizes and token ids
export { MODEL_SIZES, GPT2_VOCAB_SIZE, END_OF_TEXT_TOKEN_ID, isModelSize, headSize } from './model-sizes.js';
export type { Gpt2Dimensions, ModelSize } from './model-sizes.js';

// Seeded weights, for the float64 reference (no files needed)
export { generateGpt2Weights, generateWeight, gpt2WeightSpecs, weightNames } from './weights.js';
export type { Gpt2Weights, WeightSpec } from './weights.js';

// ONNX interface names
export { inputNames, outputNames, dimNames } from './gpt2-graph.js';

// Tokenizer files
export { writeTokenizerFiles, gpt2TokenizerJson, dialogptTokenizerConfig } from './tokenizer-files.js';
