/**
 * The onnx-proto runtime, loaded through `require`: the package is CommonJS without named-export
 * hints, so `import { onnx } from 'onnx-proto'` fails under Node's ESM loader. Import the types
 * with `import type { onnx } from 'onnx-proto'` and the values from here.
 */
import { createRequire } from 'node:module';
import type * as OnnxProtoModule from 'onnx-proto';

const require = createRequire(import.meta.url);

export const onnxProto: typeof OnnxProtoModule.onnx = (require('onnx-proto') as typeof OnnxProtoModule).onnx;

export const DataType = onnxProto.TensorProto.DataType;
