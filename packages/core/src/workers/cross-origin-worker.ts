// Starting a module worker whose script lives on another origin (the drop-in bundle on a CDN).
// `new Worker(url)` refuses a cross-origin URL; a same-origin blob: module that imports the script
// (served with CORS) works. Under a Content Security Policy it needs `worker-src blob:` and the
// script's origin in worker-src too (a module worker fetches its whole import graph as "worker").
import { WorkerBlockedError } from '../errors.js';

/** True when a script at `scriptUrl` (this module's import.meta.url) is on another http(s) origin. */
export function isCrossOriginScript(scriptUrl: string): boolean {
  if (typeof location !== 'object' || !location) return false;
  const url = new URL(scriptUrl);
  // Bundlers that inline import.meta.url as file:// (webpack) emit workers same-origin.
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== location.origin;
}

/** A module worker that imports the cross-origin `scriptUrl` through a same-origin blob: shim. */
/** Shimmed workers, with the CDN script and any CSP violation the page saw while starting them. */
const shims = new WeakMap<Worker, { scriptUrl: string; violations: string[] }>();

export function startThroughBlobShim(scriptUrl: string): Worker {
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(scriptUrl)};`], { type: 'text/javascript' }));
  const violations: string[] = [];
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    if (event.blockedURI.startsWith('blob') || event.blockedURI.startsWith(new URL(scriptUrl).origin)) violations.push(event.effectiveDirective);
  };
  globalThis.addEventListener?.('securitypolicyviolation', onViolation as EventListener);
  setTimeout(() => globalThis.removeEventListener?.('securitypolicyviolation', onViolation as EventListener), 10_000);
  try {
    const worker = new Worker(shim, { type: 'module' });
    shims.set(worker, { scriptUrl, violations });
    return worker;
  } catch (error) {
    throw blockedError(scriptUrl, error);
  } finally {
    // The worker has fetched (or is fetching) the shim; the URL is not needed afterwards.
    setTimeout(() => URL.revokeObjectURL(shim), 10_000);
  }
}

const cspAdvice = (scriptUrl: string) =>
  `Add "worker-src 'self' blob: ${new URL(scriptUrl).origin}" to the page's CSP (or serve tabwise.js from the page's own origin).`;

function blockedError(scriptUrl: string, error: unknown): Error {
  if ((error as Error)?.name !== 'SecurityError') return error as Error;
  return new WorkerBlockedError(
    `the engine worker ${scriptUrl} is on another origin, so tabwise starts it from a same-origin blob: module, ` +
      `and this page's Content Security Policy forbids that. ${cspAdvice(scriptUrl)} (${(error as Error).message})`,
  );
}

/** Why a shimmed worker failed to start, if it was one: a CSP block names the directive to add. */
export async function shimFailure(worker: Worker): Promise<{ scriptUrl: string; error?: Error } | undefined> {
  const shim = shims.get(worker);
  if (!shim) return undefined;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the violation report is its own task
  if (shim.violations.length) {
    return {
      scriptUrl: shim.scriptUrl,
      error: new WorkerBlockedError(
        `the engine worker ${shim.scriptUrl} is on another origin, so tabwise starts it from a same-origin blob: module, ` +
          `and this page's Content Security Policy (${shim.violations[0]}) blocked it. ${cspAdvice(shim.scriptUrl)}`,
      ),
    };
  }
  return { scriptUrl: shim.scriptUrl };
}
