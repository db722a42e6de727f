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
  /** The GPU device onnxruntime-web will use (we create it so we can watch `device.lost`). */
  gpuDevice?: GPUDevice;
  shaderF16: boolean;
}

export async function chooseDevice(request: DeviceRequest): Promise<DeviceChoice> {
  if (request === 'wasm') return { device: 'wasm', reason: 'WASM was requested', shaderF16: false };
  const probe = await probeWebGpu();
  if (probe.gpuDevice) return { device: 'webgpu', reason: '', gpuDevice: probe.gpuDevice, shaderF16: probe.shaderF16 };
  if (request === 'webgpu') throw new DeviceUnavailableError(`WebGPU was requested but ${probe.reason}`);
  return { device: 'wasm', reason: `fell back to WASM: ${probe.reason}`, shaderF16: false };
}

/** Limits onnxruntime-web's WebGPU backend raises to the adapter's maximum. */
const raisedLimits = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ'] as const;

async function probeWebGpu(): Promise<{ gpuDevice?: GPUDevice; shaderF16: boolean; reason: string }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { shaderF16: false, reason: 'WebGPU is not available here (no navigator.gpu)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { shaderF16: false, reason: `requestAdapter() failed: ${(error as Error).message}` };
  }
  if (!adapter) return { shaderF16: false, reason: 'no WebGPU adapter was found' };
  const shaderF16 = adapter.features.has('shader-f16');
  const requiredLimits: Record<string, number> = {};
  for (const limit of raisedLimits) requiredLimits[limit] = adapter.limits[limit];
  try {
    const gpuDevice = await adapter.requestDevice({ requiredFeatures: shaderF16 ? ['shader-f16'] : [], requiredLimits });
    return { gpuDevice, shaderF16, reason: '' };
  } catch (error) {
    return { shaderF16, reason: `requestDevice() failed: ${(error as Error).message}` };
  }
}
