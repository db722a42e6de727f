// Choosing where the model runs: WebGPU when asked for and working (adapter, then device),
// otherwise WASM, with the reason kept for `chat.deviceReason`.
import { DeviceUnavailableError } from '../errors.js';
import type { Device } from './onnx-runtime.js';

export type DeviceRequest = 'auto' | Device;
export const deviceRequests: readonly DeviceRequest[] = ['auto', 'webgpu', 'wasm'];

export interface DeviceChoice {
  device: Device;
  /** Why this device and not the faster one; empty when nothing fell back. */
  reason: string;
  /** Handed to onnxruntime-web, which requests its device from it (an adapter gives one device). */
  adapter?: GPUAdapter;
  shaderF16: boolean;
}

export async function chooseDevice(request: DeviceRequest): Promise<DeviceChoice> {
  if (request === 'wasm') return { device: 'wasm', reason: '', shaderF16: false };
  const probe = await probeWebGpu(request === 'webgpu');
  if (probe.adapter) return { device: 'webgpu', reason: '', adapter: probe.adapter, shaderF16: probe.shaderF16 };
  if (request === 'webgpu') throw new DeviceUnavailableError(`WebGPU was requested but ${probe.reason}`);
  return { device: 'wasm', reason: `fell back to WASM: ${probe.reason}`, shaderF16: false };
}

async function probeWebGpu(acceptSoftware: boolean): Promise<{ adapter?: GPUAdapter; shaderF16: boolean; reason: string }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { shaderF16: false, reason: 'WebGPU is not available here (no navigator.gpu)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { shaderF16: false, reason: 'no WebGPU adapter was found' };
    // A software adapter (SwiftShader) runs WebGPU on the CPU, far slower than WASM: 'auto' skips it.
    const info = (adapter as GPUAdapter & { info?: { isFallbackAdapter?: boolean; architecture?: string } }).info;
    if (info?.isFallbackAdapter && !acceptSoftware) {
      return { shaderF16: false, reason: `the only WebGPU adapter is a software fallback (${info.architecture || 'CPU'}), slower than WASM` };
    }
    return { adapter, shaderF16: adapter.features.has('shader-f16'), reason: '' };
  } catch (error) {
    return { shaderF16: false, reason: `requestAdapter() failed: ${(error as Error).message}` };
  }
}
