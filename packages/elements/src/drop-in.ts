// The single-file drop-in bundle: one <script type="module" src=".../tabwise.js"> registers the
// elements and exposes the library API, with the worker and wasm files beside it.
export * from '@tabwise/core';
export * from './index.js';
