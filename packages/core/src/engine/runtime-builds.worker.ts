// runtime-builds.ts as the engine worker's bundle has it (rollup.config.js swaps the file in). The
// WASM build's API is inlined. The WebGPU (JSEP) build's, 370 KB of JavaScript that only a WebGPU
// session runs, stays a file beside the worker, fetched and evaluated when one is made: inlined, a
// bundle evaluates it as the worker starts, about 65 ms before any load can begin on every device
// (docs/decisions/latency.md).
import type * as ort from 'onnxruntime-web';
import type { Device } from './onnx-runtime.js';
import { importRuntimeFile } from './runtime-load-check.js';

// A literal `new URL('…', import.meta.url)`, so that bundlers emit the file (runtime-file-urls.ts).
const webgpuApiUrl = new URL('./ort.min.mjs', import.meta.url).href;

export const runtimeBuilds: Record<Device, () => Promise<typeof ort>> = {
  wasm: () => import('onnxruntime-web/wasm'),
  webgpu: () => importRuntimeFile<typeof ort>(webgpuApiUrl),
};
