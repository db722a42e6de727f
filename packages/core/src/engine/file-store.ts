// Reading a model's files: the interface every source implements, and what a failed read says.

export interface FileProgress {
  file: string;
  loaded: number;
  /** Bytes expected; 0 when the server did not say. */
  total: number;
  /** True when the bytes came from the browser's Cache API. */
  fromCache?: boolean;
}

export type ProgressCallback = (progress: FileProgress) => void;

export interface ModelFileStore {
  /** The URL or path of `file`, for messages. */
  locate(file: string): string;
  /** Reads `file`; `signal` stops a read no longer wanted (a download, where the store can). */
  read(file: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array>;
  /** Forgets a cached copy of `file`, so a bad file is fetched again next time; optional. */
  discard?(file: string): Promise<void>;
  /** Whether the last read of `file` came from a cached copy; optional (a store without copies never does). */
  readFromCache?(file: string): boolean;
  /** Resolves once every file read so far is stored wherever the store keeps copies (never rejects); optional. */
  settle?(): Promise<void>;
}

/** Where a load's warnings go unless the caller asks otherwise. */
export function warnOnConsole(message: string): void {
  console.warn(`tabwise: ${message}`);
}

/** A read that failed: `notFound` lets the loader move on to the next candidate file. */
export class FileReadError extends Error {
  override name = 'FileReadError';
  constructor(
    readonly location: string,
    readonly answer: string,
    readonly notFound: boolean,
  ) {
    super(`${location}: ${answer}`);
  }
}
