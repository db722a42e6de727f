// Model files over HTTP, streamed with progress and kept in the browser's Cache API so another
// tab or a reload loads them without the network. A cached entry is trusted only when its size
// matches what was stored and its first bytes look like the file type; otherwise it is evicted.
import { CorruptModelFileError } from '../errors.js';
import { FileReadError, warnOnConsole, type ModelFileStore, type ProgressCallback } from './file-store.js';
import { PhaseProfile } from './phase-profile.js';

export const modelCacheName = 'tabwise-models-v1';
const sizeHeader = 'x-tabwise-size';
/** The cache write streams the downloaded bytes in views of this size, so the body is never a second copy. */
const writeChunkBytes = 4 << 20;

export interface HttpFileStoreOptions {
  /** Use the Cache API when the environment has one (browsers). Default true. */
  useCache?: boolean;
  warn?: (message: string) => void;
  /** Times downloads, Cache API reads and writes when on. */
  profile?: PhaseProfile;
}

export class HttpFileStore implements ModelFileStore {
  private cache?: Promise<Cache | undefined>;
  private readonly warn: (message: string) => void;
  private readonly profile: PhaseProfile;
  /** Cache API writes still in flight; settle() waits for them. */
  private readonly writes = new Set<Promise<void>>();
  /** Files whose last read came from the Cache API. */
  private readonly cachedReads = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly options: HttpFileStoreOptions = {},
  ) {
    this.warn = options.warn ?? warnOnConsole;
    this.profile = options.profile ?? PhaseProfile.off;
  }

  locate(file: string): string {
    return new URL(file, this.baseUrl).href;
  }

  async read(file: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    const url = this.locate(file);
    const cache = await this.openCache();
    const cached = cache ? await this.profile.time('cacheRead', () => this.readCached(cache, url, file)) : undefined;
    if (cached) {
      this.cachedReads.add(file);
      onProgress?.({ file, loaded: cached.length, total: cached.length, fromCache: true });
      return cached;
    }
    this.cachedReads.delete(file);
    const bytes = await this.profile.time('download', () => download(url, file, onProgress, signal));
    checkContent(file, url, bytes);
    // Written while the session builds (the loader settles the store once the session is up): the
    // write of a 500 MB file took longer than the download in the phase profile (docs/decisions/latency.md).
    if (cache) {
      const write = this.profile.time('cacheWrite', () => this.store(cache, url, bytes));
      this.writes.add(write);
      void write.finally(() => this.writes.delete(write));
    }
    return bytes;
  }

  readFromCache(file: string): boolean {
    return this.cachedReads.has(file);
  }

  async settle(): Promise<void> {
    await Promise.all(this.writes);
  }

  /** Drops a file from the Cache API, e.g. an ONNX graph onnxruntime could not open. */
  async discard(file: string): Promise<void> {
    await this.settle(); // a write still in flight would put it back
    const cache = await this.openCache();
    await cache?.delete(this.locate(file)).catch(() => false);
  }


  private openCache(): Promise<Cache | undefined> {
    this.cache ??= (async () => {
      if (this.options.useCache === false || typeof caches === 'undefined') return undefined;
      try {
        return await caches.open(modelCacheName);
      } catch (error) {
        this.warn(`the Cache API is unavailable (${(error as Error).message}); model files will not be cached`);
        return undefined;
      }
    })();
    return this.cache;
  }

  private async readCached(cache: Cache, url: string, file: string): Promise<Uint8Array | undefined> {
    const response = await cache.match(url).catch(() => undefined);
    if (!response) return undefined;
    const expected = Number(response.headers.get(sizeHeader));
    const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
    try {
      if (bytes.length !== expected) throw new CorruptModelFileError(`${file}: cached size ${bytes.length} ≠ ${expected}`);
      checkContent(file, url, bytes);
      return bytes;
    } catch (error) {
      this.warn(`discarding a corrupt cached copy of ${file} (${(error as Error).message}); fetching it again`);
      await cache.delete(url).catch(() => false);
      return undefined;
    }
  }

  private async store(cache: Cache, url: string, bytes: Uint8Array): Promise<void> {
    const headers = { 'content-type': 'application/octet-stream', [sizeHeader]: String(bytes.length) };
    try {
      await cache.put(url, new Response(viewsOf(bytes), { headers }));
    } catch (error) {
      // QuotaExceededError included: the model still runs, it just is not cached.
      this.warn(`could not cache ${url} (${(error as Error).name}: ${(error as Error).message}); continuing uncached`);
      await cache.delete(url).catch(() => false);
    }
  }
}

/** A stream of views of `bytes` (no copy here; the Cache API copies each chunk as it writes it). */
function viewsOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + writeChunkBytes));
      offset += writeChunkBytes;
    },
  });
}

async function download(url: string, file: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal });
  } catch (error) {
    throw new FileReadError(url, `network error (${(error as Error).message})`, false);
  }
  if (!response.ok) {
    throw new FileReadError(url, `HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`, response.status === 404);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());

  // Stream into one preallocated buffer when the size is known, so a 500 MB file is not copied twice.
  const reader = response.body.getReader();
  let buffer = new Uint8Array(total || 1 << 20);
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(value, loaded);
      loaded += value.length;
      onProgress?.({ file, loaded, total });
    }
  } catch (error) {
    throw new FileReadError(url, `download interrupted after ${loaded} bytes (${(error as Error).message})`, false);
  }
  if (total && loaded !== total) {
    throw new FileReadError(url, `download incomplete: ${loaded} of ${total} bytes`, false);
  }
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}

/** Rejects an HTML error page or a truncated file served in place of the real one. */
export function checkContent(file: string, location: string, bytes: Uint8Array): void {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html')) {
    throw new CorruptModelFileError(`${location} is an HTML page, not ${file}`);
  }
  if (file.endsWith('.json')) {
    try {
      JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new CorruptModelFileError(`${location} is not valid JSON`);
    }
  }
  // An ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
  if (file.endsWith('.onnx') && bytes[0] !== 0x08) {
    throw new CorruptModelFileError(`${location} is not an ONNX model`);
  }
}
