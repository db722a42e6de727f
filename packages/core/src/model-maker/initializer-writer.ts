/**
 * Collects a model's initializers, either inline (raw_data in the .onnx file) or streamed one by
 * one into an external data file, the layout ONNX uses for large models: each TensorProto then
 * carries data_location = EXTERNAL and `location` / `offset` / `length` entries instead of bytes.
 * Streaming keeps memory at one tensor at a time, which matters for the ~500 MB small model.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { onnx } from 'onnx-proto';
import { onnxProto } from './onnx-proto.js';

/** Tensors smaller than this stay inline even in an external-data model (as onnx's own tools do). */
const externalSizeThresholdBytes = 1024;

export class InitializerWriter {
  readonly initializers: onnx.ITensorProto[] = [];
  private offset = 0;

  private constructor(
    private readonly dataFile: FileHandle | undefined,
    /** The data file's name relative to the .onnx file, as written into `location`. */
    private readonly location: string | undefined,
  ) {}

  /** Keeps every tensor's bytes in memory, to be encoded into the .onnx file. */
  static inline(): InitializerWriter {
    return new InitializerWriter(undefined, undefined);
  }

  /** Streams tensors of 1 KiB or more into `dataFilePath`, referenced from the graph as `location`. */
  static async external(dataFilePath: string, location: string): Promise<InitializerWriter> {
    return new InitializerWriter(await open(dataFilePath, 'w'), location);
  }

  /** Adds a tensor; `data` is little-endian and row-major. */
  async add(name: string, dataType: onnx.TensorProto.DataType, dims: readonly number[], data: ArrayBufferView): Promise<void> {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!this.dataFile || bytes.byteLength < externalSizeThresholdBytes) {
      // Copy: callers may reuse their buffer once add() resolves.
      this.initializers.push({ name, dataType, dims: [...dims], rawData: bytes.slice() });
      return;
    }
    for (let written = 0; written < bytes.byteLength; ) {
      const { bytesWritten } = await this.dataFile.write(bytes, written, bytes.byteLength - written, this.offset + written);
      written += bytesWritten;
    }
    this.initializers.push({
      name,
      dataType,
      dims: [...dims],
      dataLocation: onnxProto.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: this.location },
        { key: 'offset', value: String(this.offset) },
        { key: 'length', value: String(bytes.byteLength) },
      ],
    });
    this.offset += bytes.byteLength;
  }

  /** Flushes and closes the external data file, if any. */
  async close(): Promise<void> {
    await this.dataFile?.close();
  }
}
