// @huggingface/tokenizers as one module of its own: the engine worker's bundle keeps it as a file
// beside the worker, `tokenizers.js` (rollup.config.js, tokenizers-loader.worker.ts).
export { Tokenizer } from '@huggingface/tokenizers';
