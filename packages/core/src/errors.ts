// Named errors. Callers branch on `error.name`: it survives the worker boundary and structured
// clone, where custom fields and prototypes do not (see worker-errors.ts for how they are rebuilt).

export class TabwiseError extends Error {
  override name = 'TabwiseError';
}

/** The message is empty or whitespace only; the session is untouched. */
export class EmptyMessageError extends TabwiseError {
  override name = 'EmptyMessageError';
}

/** No candidate file of a model could be loaded; the message lists every URL tried and its answer. */
export class ModelLoadError extends TabwiseError {
  override name = 'ModelLoadError';
}

/** A model file downloaded but is not what it claims to be (truncated, HTML, corrupt ONNX). */
export class CorruptModelFileError extends TabwiseError {
  override name = 'CorruptModelFileError';
}

/** A model URL with a scheme other than https, or cross-origin http, was refused. */
export class UnsafeModelUrlError extends TabwiseError {
  override name = 'UnsafeModelUrlError';
}

/** The engine worker died (terminated, crashed, out of memory) while a call was pending. */
export class WorkerCrashedError extends TabwiseError {
  override name = 'WorkerCrashedError';
}

/** The chat was disposed; create a new one. */
export class ChatDisposedError extends TabwiseError {
  override name = 'ChatDisposedError';
}

/** The requested device cannot run here (no WebGPU adapter, device lost, …). */
export class DeviceUnavailableError extends TabwiseError {
  override name = 'DeviceUnavailableError';
}

/**
 * A runtime file (onnxruntime-web's .wasm/.mjs, the engine worker's onnx-proto.js or tokenizers.js)
 * could not be loaded (not the model's fault: the model and its cache are kept). The message gives
 * the URL tried, what came back, and the fix.
 */
export class RuntimeLoadError extends TabwiseError {
  override name = 'RuntimeLoadError';
}

/** A worker script did not load (404, HTML instead of JavaScript, a network error); names the URL. */
export class WorkerLoadError extends TabwiseError {
  override name = 'WorkerLoadError';
}

/** The page's Content Security Policy forbids the worker tabwise needs; names the directive to add. */
export class WorkerBlockedError extends TabwiseError {
  override name = 'WorkerBlockedError';
}

/**
 * A shared engine (`share: 'origin'`) refused a call naming a session this tab did not open; the
 * named session is untouched.
 */
export class SessionAccessError extends TabwiseError {
  override name = 'SessionAccessError';
}

/** Same name as the DOM's, so `error.name === 'AbortError'` works for both. */
export class AbortError extends TabwiseError {
  override name = 'AbortError';
}

/** Every named error class, by name, so the other side of a worker boundary can rebuild it. */
export const errorClasses: Record<string, new (message: string) => Error> = {
  TabwiseError,
  EmptyMessageError,
  ModelLoadError,
  CorruptModelFileError,
  UnsafeModelUrlError,
  WorkerCrashedError,
  ChatDisposedError,
  DeviceUnavailableError,
  RuntimeLoadError,
  WorkerLoadError,
  WorkerBlockedError,
  AbortError,
  SessionAccessError,
  TypeError,
  RangeError,
};
