// tokenizers-loader.ts as the engine worker's bundle has it (rollup.config.js swaps the file in).
// The tokenizer library took about 18 ms to evaluate as the worker started, before any load could
// begin. As a file beside the worker it is fetched as the load starts, beside the model's reads
// (docs/decisions/latency.md).
import { importRuntimeFile } from './runtime-load-check.js';

// A literal `new URL('…', import.meta.url)`, so that bundlers emit the file (runtime-file-urls.ts).
const tokenizersUrl = new URL('./tokenizers.js', import.meta.url).href;

export const loadTokenizers = () => importRuntimeFile<typeof import('./tokenizers.js')>(tokenizersUrl);
