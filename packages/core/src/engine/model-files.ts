// Which files make a model, by dtype, and how to fetch the ONNX graph with its external data.
import { ModelLoadError } from '../errors.js';
import { FileReadError, type ModelFileStore, type ProgressCallback } from './file-store.js';

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';
export const dtypes: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];

/** How transformers.js and Optimum name a dtype's ONNX file: onnx/model{suffix}.onnx. */
export const dtypeFileSuffix: Readonly<Record<Dtype, string>> = Object.freeze({ fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' });

/** Current exports first, then the merged decoder older Optimum exports ship. */
export function onnxCandidates(dtype: Dtype): string[] {
  const suffix = dtypeFileSuffix[dtype];
  return [`onnx/model${suffix}.onnx`, `onnx/decoder_model_merged${suffix}.onnx`];
}

export interface OnnxFiles {
  dtype: Dtype;
  file: string;
  model: Uint8Array;
  externalData: { path: string; data: Uint8Array }[];
  /** The store's names of the graph and each external data file read, in order. */
  reads: string[];
}

export interface FetchOnnxOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Called with the graph's bytes as soon as they are in, while its external data is still read. */
  onGraph?: (model: Uint8Array) => void;
}

/**
 * Tries each dtype's candidates in order; 404s move on, any other failure stops. When nothing
 * loads, one error lists every location tried and what it answered.
 */
export async function fetchOnnx(store: ModelFileStore, dtypesToTry: Dtype[], { onProgress, signal, onGraph }: FetchOnnxOptions = {}): Promise<OnnxFiles> {
  const tried: string[] = [];
  for (const dtype of dtypesToTry) {
    for (const file of onnxCandidates(dtype)) {
      let model: Uint8Array;
      try {
        model = await store.read(file, onProgress, signal);
      } catch (error) {
        if (error instanceof FileReadError && error.notFound) {
          tried.push(`${error.location} → ${error.answer}`);
          continue;
        }
        throw asLoadError(error, tried);
      }
      onGraph?.(model);
      const reads = [file];
      const externalData = await fetchExternalData(store, file, model, tried, reads, onProgress, signal);
      return { dtype, file, model, externalData, reads };
    }
  }
  throw new ModelLoadError(`no ONNX model could be loaded; tried:\n  ${tried.join('\n  ')}`);
}

async function fetchExternalData(
  store: ModelFileStore,
  file: string,
  model: Uint8Array,
  tried: string[],
  reads: string[],
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
) {
  const folder = file.slice(0, file.lastIndexOf('/') + 1);
  const externalData: { path: string; data: Uint8Array }[] = [];
  for (const path of externalDataLocations(model)) {
    // As the graph names it, then transformers.js's `{file}_data` naming.
    const candidates = [...new Set([folder + path, `${file}_data`])];
    let data: Uint8Array | undefined;
    for (const candidate of candidates) {
      try {
        data = await store.read(candidate, onProgress, signal);
        reads.push(candidate);
        break;
      } catch (error) {
        if (!(error instanceof FileReadError && error.notFound)) throw asLoadError(error, tried);
        tried.push(`${error.location} → ${error.answer}`);
      }
    }
    if (!data) throw new ModelLoadError(`${file} needs external data "${path}" that could not be found; tried:\n  ${tried.join('\n  ')}`);
    externalData.push({ path, data });
  }
  return externalData;
}

function asLoadError(error: unknown, tried: string[]): Error {
  if (!(error instanceof FileReadError)) return error as Error;
  return new ModelLoadError([`could not load ${error.location}: ${error.answer}`, ...(tried.length ? ['also tried:', ...tried] : [])].join('\n  '));
}

/**
 * The `location` of every initializer stored outside the graph. Found by scanning for the
 * protobuf encoding of StringStringEntryProto {key: "location", value: …} rather than parsing the
 * whole ModelProto, which would need a protobuf library in the worker.
 */
export function externalDataLocations(model: Uint8Array): string[] {
  const marker = [0x0a, 0x08, ...new TextEncoder().encode('location'), 0x12];
  const found = new Set<string>();
  outer: for (let i = 0; i + marker.length < model.length; i++) {
    for (let j = 0; j < marker.length; j++) if (model[i + j] !== marker[j]) continue outer;
    let offset = i + marker.length;
    let length = 0;
    for (let shift = 0; offset < model.length; shift += 7) {
      const byte = model[offset++];
      length |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    found.add(new TextDecoder().decode(model.subarray(offset, offset + length)));
    i = offset + length - 1;
  }
  return [...found];
}
