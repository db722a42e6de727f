// Entry of the dedicated engine worker (one per tab and model). Built to a stable file name
// beside the library, so `new URL('./engine-worker.js', import.meta.url)` finds it.
import * as Comlink from 'comlink';
import './worker-errors.js';
import { EngineHost } from './chat/engine-host.js';

const host = new EngineHost({
  wasmPaths: new URL('./', import.meta.url).href,
  numThreads: globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
  lockName: self.name || undefined,
});

// expose() before any await, or the page's first calls are lost.
Comlink.expose(host);
