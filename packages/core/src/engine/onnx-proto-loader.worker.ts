// onnx-proto-loader.ts as the engine worker's bundle has it (rollup.config.js swaps the file in).
// onnx-proto is 420 KB of generated protobuf code that took about 45 ms to evaluate as the worker
// started, before any load could begin. As a file beside the worker it is fetched when a WASM load
// starts the runtime, beside the model's reads; WebGPU never fetches it (docs/decisions/latency.md).
import { importRuntimeFile } from './runtime-load-check.js';

// A literal `new URL('…', import.meta.url)`, so that bundlers emit the file (runtime-file-urls.ts).
const onnxProtoUrl = new URL('./onnx-proto.js', import.meta.url).href;

export const loadOnnxProto = () => importRuntimeFile<typeof import('../model-maker/onnx-proto.js')>(onnxProtoUrl);
