// How many WASM threads the engine gets, and why. Threads need SharedArrayBuffer, which a page has
// only when it is cross-origin isolated (COOP + COEP); most pages are not, and run on one thread.
export interface ThreadChoice {
  numThreads: number;
  reason: string;
}

export function chooseWasmThreads(): ThreadChoice {
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  if (!globalThis.crossOriginIsolated) {
    return {
      numThreads: 1,
      reason:
        'WASM runs on one thread: this page is not cross-origin isolated, so SharedArrayBuffer is off. ' +
        'For up to 4 threads, serve the page with "Cross-Origin-Opener-Policy: same-origin" and ' +
        '"Cross-Origin-Embedder-Policy: require-corp" (or credentialless).',
    };
  }
  if (nestedWorkersMayHang()) {
    return {
      numThreads: 1,
      reason:
        'WASM runs on one thread in Firefox: there a worker started inside the engine worker ' +
        "(onnxruntime's thread pool) sometimes never starts and stops the load for good.",
    };
  }
  const numThreads = Math.min(4, cores);
  return { numThreads, reason: numThreads > 1 ? '' : 'WASM runs on one thread: this device reports one CPU core.' };
}

/**
 * Firefox (ESR 153 checked): `new Worker()` inside a dedicated module worker never returned in about
 * 1 of 100 fresh workers, blocking that worker for good (docs/decisions/browsers.md); each WASM
 * thread is such a nested worker. One thread starts none.
 */
function nestedWorkersMayHang(): boolean {
  return /\bFirefox\//.test(globalThis.navigator?.userAgent ?? '');
}
