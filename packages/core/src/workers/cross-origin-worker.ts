// Starting a module worker whose script lives on another origin (the drop-in bundle on a CDN).
// `new Worker(url)` refuses a cross-origin URL; a same-origin blob: module that imports the script
// (served with CORS) works, and needs `worker-src blob:` under a Content Security Policy.
import { WorkerBlockedError } from '../errors.js';

/** True when a script at `scriptUrl` (this module's import.meta.url) is on another http(s) origin. */
export function isCrossOriginScript(scriptUrl: string): boolean {
  if (typeof location !== 'object' || !location) return false;
  const url = new URL(scriptUrl);
  // Bundlers that inline import.meta.url as file:// (webpack) emit workers same-origin.
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== location.origin;
}

/** A module worker that imports the cross-origin `scriptUrl` through a same-origin blob: shim. */
export function startThroughBlobShim(scriptUrl: string): Worker {
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(scriptUrl)};`], { type: 'text/javascript' }));
  try {
    return new Worker(shim, { type: 'module' });
  } catch (error) {
    throw blockedError(scriptUrl, error);
  } finally {
    // The worker has fetched (or is fetching) the shim; the URL is not needed afterwards.
    setTimeout(() => URL.revokeObjectURL(shim), 10_000);
  }
}

function blockedError(scriptUrl: string, error: unknown): Error {
  if ((error as Error)?.name !== 'SecurityError') return error as Error;
  return new WorkerBlockedError(
    `the engine worker ${scriptUrl} is on another origin, so tabwise starts it from a same-origin blob: module, ` +
      `and this page's Content Security Policy forbids blob: workers. Add "worker-src 'self' blob:" to the page's CSP ` +
      `(or serve tabwise.js from the page's own origin). (${(error as Error).message})`,
  );
}
