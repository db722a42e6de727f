// onnxruntime-web's run-time files, each by its own literal `new URL('…', import.meta.url)` so
// that bundlers (Vite, webpack 5, Parcel) emit them; a folder URL would emit nothing. The build
// copies them beside the engine worker, which is the only module that imports this file.
import type { RuntimeFiles } from './onnx-runtime.js';

export const runtimeFileUrls: RuntimeFiles = {
  // The plain build for WASM (no WebGPU kernels, no asyncify): half the download.
  wasm: {
    mjs: new URL('./ort-wasm-simd-threaded.mjs', import.meta.url).href,
    wasm: new URL('./ort-wasm-simd-threaded.wasm', import.meta.url).href,
  },
  // The JSEP build carries the WebGPU kernels.
  webgpu: {
    mjs: new URL('./ort-wasm-simd-threaded.jsep.mjs', import.meta.url).href,
    wasm: new URL('./ort-wasm-simd-threaded.jsep.wasm', import.meta.url).href,
  },
};
