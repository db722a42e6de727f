// runtime-builds.ts as the engine worker's bundle has it (rollup.config.js swaps the file in). Each
// build's JavaScript API is a file beside the worker, fetched and evaluated when a load starts the
// runtime (WASM: as the load begins, beside the model's reads; WebGPU: when a session is made).
// Inlined, a bundle evaluates it as the worker starts, before any load can begin: about 65 ms for
// the WebGPU (JSEP) build's 370 KB, 20 ms for the WASM build's (docs/decisions/latency.md).
import type * as ort from 'onnxruntime-web';
import type { Device } from './onnx-runtime.js';
import { importRuntimeFile } from './runtime-load-check.js';

// Literal `new URL('…', import.meta.url)`s, so that bundlers emit the files (runtime-file-urls.ts).
const apiUrls: Record<Device, string> = {
  wasm: new URL('./ort.wasm.min.mjs', import.meta.url).href,
  webgpu: new URL('./ort.min.mjs', import.meta.url).href,
};

export const runtimeBuilds: Record<Device, () => Promise<typeof ort>> = {
  wasm: () => importRuntimeFile<typeof ort>(apiUrls.wasm),
  webgpu: () => importRuntimeFile<typeof ort>(apiUrls.webgpu),
};
