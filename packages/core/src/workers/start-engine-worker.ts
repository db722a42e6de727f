// Where the engine worker comes from. The default is written as the one literal expression (a
// Worker of a URL of a string literal and import.meta.url, type module) that Vite, webpack 5,
// Parcel and esbuild-based tools detect and bundle; a URL built elsewhere would be copied as a
// plain asset. `workerUrl` overrides it; a bundle on another origin (a CDN) goes through a
// same-origin blob: shim.
import { isCrossOriginScript, startThroughBlobShim } from './cross-origin-worker.js';

export function startEngineWorker(workerUrl?: URL | string): Worker {
  if (workerUrl !== undefined) {
    const href = new URL(workerUrl, typeof location === 'object' ? location.href : undefined).href;
    return isCrossOriginScript(href) ? startThroughBlobShim(href) : new Worker(href, { type: 'module' });
  }
  if (isCrossOriginScript(import.meta.url)) {
    // Not `new URL('engine-worker.js', import.meta.url)`: bundlers would emit a second, raw copy.
    return startThroughBlobShim(import.meta.url.replace(/[^/]*$/, 'engine-worker.js'));
  }
  // Options stay static (no variables): Vite refuses worker options it cannot evaluate.
  return new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
}
