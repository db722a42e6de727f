/**
 * A small helper for writing ONNX graphs by hand on top of onnx-proto: it names intermediate
 * values the way PyTorch's exporter does (`/transformer/h.0/attn/MatMul_output_0`), so the graph
 * reads like the exports it stands in for.
 */
import type { onnx } from 'onnx-proto';
import { DataType, onnxProto } from './onnx-proto.js';

/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

export type Attribute = onnx.IAttributeProto;

export const attribute = {
  int: (name: string, value: number): Attribute => ({ name, type: onnxProto.AttributeProto.AttributeType.INT, i: value }),
  float: (name: string, value: number): Attribute => ({ name, type: onnxProto.AttributeProto.AttributeType.FLOAT, f: value }),
  ints: (name: string, values: readonly number[]): Attribute => ({ name, type: onnxProto.AttributeProto.AttributeType.INTS, ints: [...values] }),
};

export interface OpOptions {
  attributes?: Attribute[];
  /** Names for the outputs (graph outputs must have their exact names); generated otherwise. */
  outputs?: string[];
  /** How many outputs to generate names for when `outputs` is absent. */
  outputCount?: number;
  domain?: string;
}

export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly opCounts = new Map<string, number>();
  private readonly constantNames = new Map<string, string>();
  private readonly scopes: string[] = [];

  addInput(name: string, elemType: onnx.TensorProto.DataType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  addOutput(name: string, elemType: onnx.TensorProto.DataType, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  addInitializer(tensor: onnx.ITensorProto): string {
    this.initializers.push(tensor);
    return tensor.name ?? '';
  }

  /** An int64 constant; identical constants are shared. Scalar when `dims` is []. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const bytes = new Uint8Array(BigInt64Array.from(values, BigInt).buffer);
    return this.constant('int64', DataType.INT64, dims, bytes, values);
  }

  /** A float32 scalar constant; identical constants are shared. */
  float32(value: number): string {
    const bytes = new Uint8Array(Float32Array.of(value).buffer);
    return this.constant('float', DataType.FLOAT, [], bytes, [value]);
  }

  /** Runs `build` with node and value names prefixed by `scope` (nested scopes join with '/'). */
  scope<T>(scope: string, build: () => T): T {
    this.scopes.push(scope);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  /** Adds a node and returns its output names. */
  op(opType: string, inputs: readonly string[], options: OpOptions = {}): string[] {
    const prefix = `/${this.scopes.join('/')}${this.scopes.length ? '/' : ''}`;
    const key = `${prefix}${opType}`;
    const count = this.opCounts.get(key) ?? 0;
    this.opCounts.set(key, count + 1);
    const nodeName = count === 0 ? key : `${key}_${count}`;
    const outputs = options.outputs ?? Array.from({ length: options.outputCount ?? 1 }, (_, i) => `${nodeName}_output_${i}`);
    this.nodes.push({
      name: nodeName,
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: outputs,
      attribute: options.attributes ?? [],
    });
    return outputs;
  }

  /** Adds a single-output node and returns its output name. */
  op1(opType: string, inputs: readonly string[], options: Omit<OpOptions, 'outputCount'> = {}): string {
    return this.op(opType, inputs, options)[0];
  }

  build(name: string): onnx.IGraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }

  private constant(kind: string, dataType: onnx.TensorProto.DataType, dims: readonly number[], rawData: Uint8Array, values: readonly number[]): string {
    const key = `${kind}[${dims.join(',')}]:${values.join(',')}`;
    let name = this.constantNames.get(key);
    if (!name) {
      name = `const_${kind}_${this.constantNames.size}`;
      this.constantNames.set(key, name);
      this.initializers.push({ name, dataType, dims: [...dims], rawData });
    }
    return name;
  }
}

export function valueInfo(name: string, elemType: onnx.TensorProto.DataType, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Wraps a graph into a model that imports the default ONNX domain at `opsetVersion`. */
export function modelProto(graph: onnx.IGraphProto, opsetVersion: number): onnx.IModelProto {
  return {
    irVersion: 8,
    producerName: 'tabwise make-test-model',
    opsetImport: [{ domain: '', version: opsetVersion }],
    graph,
  };
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnxProto.ModelProto.encode(model).finish();
}
