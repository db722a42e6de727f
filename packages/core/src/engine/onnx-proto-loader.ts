// How the engine gets onnx-proto (a one-node model to start the runtime, the KV outputs it adds to
// a graph): imported, for Node and the app's bundler to resolve. The engine worker's bundle puts
// onnx-proto-loader.worker.ts in this file's place (rollup.config.js).
export const loadOnnxProto = () => import('../model-maker/onnx-proto.js');
