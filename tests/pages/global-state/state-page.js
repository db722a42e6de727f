// Test page: exposes the drop-in bundle's API on window for page.evaluate(), and starts dedicated
// workers that reach this page's global store through a port.
const tabwise = await import('/dist/tabwise.js');

/** A dedicated worker (state-worker.js) given a port to the store; call(op, ...args) runs one of its ops. */
function startStateWorker(transport) {
  const worker = new Worker(new URL('./state-worker.js', import.meta.url), { type: 'module' });
  const port = tabwise.openGlobalStorePort({ transport });
  worker.postMessage({ globalStore: port }, [port]);
  const pending = new Map();
  let nextId = 0;
  worker.onmessage = ({ data }) => {
    const { resolve, reject } = pending.get(data.id);
    pending.delete(data.id);
    if ('error' in data) reject(new Error(data.error));
    else resolve(data.result);
  };
  // A worker that fails to load (say, a missing bundle) fails its calls instead of leaving them pending.
  worker.onerror = (event) => {
    for (const { reject } of pending.values()) reject(new Error(`state-worker.js failed: ${event.message ?? 'could not load it or /dist/tabwise-worker.js'}`));
    pending.clear();
  };
  return {
    call: (op, ...args) =>
      new Promise((resolve, reject) => {
        pending.set(nextId, { resolve, reject });
        worker.postMessage({ id: nextId++, op, args });
      }),
    terminate: () => worker.terminate(),
  };
}

window.tabwise = tabwise;
window.startStateWorker = startStateWorker;
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';
