// A minimal call/return bridge to a module worker: the page calls the worker's methods by name and
// gets a promise; errors keep their name and message. (The benchmark page has no bundler, so it does
// not pull in Comlink for one worker with five methods.)

/** In the worker: answer calls with `methods[name](...args)`. */
export function exposeMethods(methods) {
  self.addEventListener('message', async ({ data: { id, method, args } }) => {
    try {
      if (typeof methods[method] !== 'function') throw new TypeError(`the worker has no method ${method}`);
      self.postMessage({ id, result: await methods[method](...args) });
    } catch (error) {
      self.postMessage({ id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), stack: error?.stack } });
    }
  });
}

/** On the page: `call(name, ...args)` on a worker that used exposeMethods(); every pending call fails if the worker dies. */
export function connectWorker(worker) {
  const pending = new Map();
  let nextId = 0;
  const failAll = (message) => {
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  };
  worker.addEventListener('message', ({ data: { id, result, error } }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (!error) return call.resolve(result);
    const rethrown = new Error(error.message);
    rethrown.name = error.name;
    rethrown.stack = error.stack;
    call.reject(rethrown);
  });
  worker.addEventListener('error', (event) => failAll(`the worker failed: ${event.message ?? 'script error'}`));
  return {
    call(method, ...args) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, args });
      });
    },
    terminate() {
      worker.terminate();
      failAll('the worker was terminated');
    },
  };
}
