// Where each device's onnxruntime-web build (its JavaScript API) comes from: the package's own entry
// points, resolved by Node or by the app's bundler. The engine worker's self-contained bundle puts
// runtime-builds.worker.ts in this file's place (rollup.config.js). Each build is its own module
// with its own `env` and `Tensor`, so a session's tensors are always made by the build that runs it.
import type * as ort from 'onnxruntime-web';
import type { Device } from './onnx-runtime.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

export const runtimeBuilds: Record<Device, () => Promise<typeof ort>> = {
  // In Node the package's root export is its Node build (WASM, reading files from disk). In a
  // browser WASM gets the plain build: half the download of the WebGPU one, no asyncify overhead.
  wasm: () => (isNode ? import('onnxruntime-web') : import('onnxruntime-web/wasm')),
  // The default (JSEP) build carries the WebGPU kernels.
  webgpu: () => import('onnxruntime-web'),
};
