// performance.measureUserAgentSpecificMemory(), grouped by the URL of the page or worker the memory
// belongs to. It needs a cross-origin isolated page. Chromium answers once every worker has reported;
// a WASM thread parked in Atomics.wait never does, so with WASM threads each call takes the browser's
// timeout (about 60 s here, headless Chromium 156). The suite therefore measures all engines at once:
// one call before their 500-token runs, one after, one after a second run.

export function canMeasureMemory() {
  return globalThis.crossOriginIsolated === true && typeof performance.measureUserAgentSpecificMemory === 'function';
}

/** @returns {Promise<{ bytes: number, ms: number, byUrl: Record<string, number> }>} */
export async function measureMemory() {
  const start = performance.now();
  const result = await performance.measureUserAgentSpecificMemory();
  const byUrl = {};
  for (const entry of result.breakdown) {
    // Memory shared by several contexts is counted once, under each of their URLs joined.
    const url = entry.attribution.map((a) => a.url).sort().join(' + ') || '(shared)';
    byUrl[url] = (byUrl[url] ?? 0) + entry.bytes;
  }
  return { bytes: result.bytes, ms: performance.now() - start, byUrl };
}

/** Bytes attributed to contexts whose URL is `url` (alone or shared). */
export function bytesOf(measurement, url) {
  return Object.entries(measurement.byUrl)
    .filter(([key]) => key.split(' + ').includes(url))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
}
