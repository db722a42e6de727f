// A dedicated worker that reads and writes global state through the port its page hands it.
// A worker cannot load tabwise.js (it defines custom elements); tabwise-worker.js is the DOM-free part.
import { createGlobalState, useGlobalStorePort } from '/dist/tabwise-worker.js';

const states = new Map();
const seen = [];

/** The page's `transport` option is dropped: this worker's states all go through the page's port. */
function state(key, { transport, ...options } = {}) {
  const id = JSON.stringify([key, options]);
  if (!states.has(id)) states.set(id, createGlobalState(key, 0, options));
  return states.get(id);
}

const ops = {
  get: (key, options) => state(key, options).get(),
  set: (key, options, value) => state(key, options).set(value),
  /** `count` concurrent update(n => n + 1). */
  increment: async (key, options, count) => {
    await Promise.all(Array.from({ length: count }, () => state(key, options).update((n) => n + 1)));
  },
  subscribe: (key, options) => void state(key, options).subscribe((value) => seen.push(value)),
  seen: () => seen,
  transport: async (key, options) => {
    await state(key, options).get();
    return state(key, options).transport;
  },
};

self.onmessage = async ({ data }) => {
  if (data.globalStore) return useGlobalStorePort(data.globalStore);
  try {
    postMessage({ id: data.id, result: await ops[data.op](...data.args) });
  } catch (error) {
    postMessage({ id: data.id, error: `${error.name}: ${error.message}` });
  }
};
