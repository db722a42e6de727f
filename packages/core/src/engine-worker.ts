// Entry of the dedicated engine worker (one per tab and model). Built self-contained (no bare
// imports) to a stable file name beside the library, with onnxruntime-web's files beside it.
import * as Comlink from 'comlink';
import './worker-errors.js';
import { EngineHost } from './chat/engine-host.js';
import { runtimeFileUrls } from './engine/runtime-file-urls.js';
import { chooseWasmThreads } from './engine/wasm-threads.js';

const threads = chooseWasmThreads();
const host = new EngineHost({
  runtimeFiles: runtimeFileUrls,
  numThreads: threads.numThreads,
  threadsReason: threads.reason,
});

// expose() before any await, or the page's first calls are lost.
Comlink.expose(host);
