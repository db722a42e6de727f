// A worker that fails before it starts gives the page only a bare `error` event. Fetching its
// script once says why: a 404, HTML where JavaScript should be (a dev server's index.html
// fallback), or a file that loads but whose imports fail.
import { WorkerLoadError } from '../errors.js';
import { shimFailure } from './cross-origin-worker.js';

/** The named error for a worker that failed before it started, when there is something to say. */
export async function workerStartError(worker: Worker, scriptUrl?: string): Promise<Error | undefined> {
  const shim = await shimFailure(worker);
  if (shim?.error) return shim.error;
  const url = scriptUrl ?? shim?.scriptUrl;
  return url ? workerLoadError('engine worker', url, Boolean(shim)) : undefined;
}

export async function workerLoadError(what: string, scriptUrl: string, crossOrigin = false): Promise<WorkerLoadError> {
  let answer: string;
  try {
    const response = await fetch(scriptUrl, { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    const type = response.headers.get('content-type') ?? '(no content type)';
    if (!response.ok) answer = `it answered HTTP ${response.status} (${type})`;
    else if (!/javascript/i.test(type)) answer = `it answered ${type}, not JavaScript`;
    else if (crossOrigin) answer = `the file loads as JavaScript, so an import failed or was blocked: under a Content Security Policy, worker-src must allow blob: and ${new URL(scriptUrl).origin}`;
    else answer = 'the file loads as JavaScript, so an import inside it failed or it threw while starting';
  } catch (error) {
    answer = `fetching it failed (${(error as Error).message})`;
  }
  return new WorkerLoadError(`the ${what} script ${scriptUrl} could not start: ${answer}. Check the workerUrl option, or leave it out to use the worker that ships with the package.`);
}
