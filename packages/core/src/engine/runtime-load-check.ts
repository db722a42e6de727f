// Telling "onnxruntime-web's own files did not load" apart from "the model file is bad". The
// runtime reports both as a failed session; a missing .wasm (a bundler that did not emit it, a dev
// server answering index.html) must not be blamed on the model, nor evict a good cached model.
import { RuntimeLoadError } from '../errors.js';

/** What onnxruntime-web says when its backend (the .mjs/.wasm) could not start. */
export function isRuntimeStartFailure(error: unknown): boolean {
  return /no available backend found|backend.*(initializ|not found)|Failed to fetch dynamically imported module|expected magic word|WebAssembly\.instantiate/i.test(
    String((error as Error)?.message ?? error),
  );
}

const expectedTypes: Record<'mjs' | 'wasm', RegExp> = { mjs: /javascript/i, wasm: /^application\/wasm/i };

/** Fetches each runtime file to say which one is wrong, what came back and how to fix it. */
export async function runtimeLoadError(files: { mjs?: string; wasm?: string } | undefined, cause: unknown): Promise<RuntimeLoadError> {
  const reason = (cause as Error)?.message ?? String(cause);
  const fix =
    'Fix: serve the file with that URL (tabwise references each runtime file with new URL(…, import.meta.url), ' +
    'which Vite, webpack 5 and Parcel emit with no configuration; if your build copies files by hand, copy ' +
    'every file beside engine-worker.js in the package\'s dist/ with it: ort*.mjs, ort*.wasm, onnx-proto.js and tokenizers.js).';
  for (const kind of ['wasm', 'mjs'] as const) {
    const url = files?.[kind];
    if (!url || typeof fetch !== 'function') continue;
    let answer: string | undefined;
    try {
      const response = await fetch(url, { method: 'HEAD', cache: 'no-store' });
      const type = response.headers.get('content-type') ?? '(no content type)';
      if (!response.ok || !expectedTypes[kind].test(type)) answer = `HTTP ${response.status}, ${type}`;
    } catch (error) {
      answer = `a network error (${(error as Error).message})`;
    }
    if (answer) {
      return new RuntimeLoadError(`the runtime file ${url} could not be loaded: it answered ${answer}. ${fix} (the error: ${reason})`);
    }
  }
  const tried = files ? Object.values(files).filter(Boolean).join(', ') : "onnxruntime-web's default location";
  return new RuntimeLoadError(`onnxruntime-web's runtime could not start from ${tried}: ${reason}. ${fix}`);
}

/**
 * Imports a module the engine worker keeps as a file beside it (runtime-builds.worker.ts,
 * onnx-proto-loader.worker.ts, tokenizers-loader.worker.ts); one that does not load is a
 * RuntimeLoadError naming its URL. The comments keep the app's bundler from following the import:
 * it emits the file from the caller's literal `new URL('…', import.meta.url)` instead.
 */
export function importRuntimeFile<T>(url: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ url).catch(async (error) => {
    throw await runtimeLoadError({ mjs: url }, error);
  });
}
