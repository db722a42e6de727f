// How the engine gets the tokenizer library: imported, for Node and the app's bundler to resolve.
// The engine worker's bundle puts tokenizers-loader.worker.ts in this file's place (rollup.config.js).
export const loadTokenizers = () => import('./tokenizers.js');
