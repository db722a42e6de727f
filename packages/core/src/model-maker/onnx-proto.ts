/**
 * The onnx-proto runtime. The package is CommonJS without named-export hints: Node's ESM loader
 * puts it under `default` (so `import { onnx } from 'onnx-proto'` fails there), bundlers give either
 * form. Import the types with `import type { onnx } from 'onnx-proto'` and the values from here.
 */
import * as onnxProtoModule from 'onnx-proto';

const onnxProtoPackage = (onnxProtoModule as { default?: typeof onnxProtoModule }).default ?? onnxProtoModule;

export const onnxProto: typeof onnxProtoModule.onnx = onnxProtoPackage.onnx;

export const DataType = onnxProto.TensorProto.DataType;
