// The static server for demos, benchmarks and browser tests: sirv mounts, cross-origin isolated
// so WASM threads work. sirv refuses paths that leave a mount's root.
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** URL prefix → folder under the repository root. Longest prefix wins. */
export const defaultMounts = {
  '/': 'demos',
  '/benchmarks/': 'benchmarks',
  '/dist/': 'packages/elements/dist',
  '/core/': 'packages/core/dist',
  '/models/': 'models',
  '/tests/pages/': 'tests/pages',
  '/vendor/transformers/': 'node_modules/@huggingface/transformers/dist',
  // transformers.js's own onnxruntime-web build (nested: the root one is tabwise's) and chart.js, for the benchmark page
  '/vendor/transformers-ort/': 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist',
  '/vendor/chart.js/': 'node_modules/chart.js/dist',
};

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * @param {{ port?: number, host?: string, mounts?: Record<string,string>, headers?: Record<string,string>,
 *   intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean }} [options]
 *   `intercept` lets a test answer a request itself (fault injection); return true when handled.
 */
export async function startServer({ port = 0, host = '127.0.0.1', mounts = defaultMounts, headers = {}, intercept } = {}) {
  const allHeaders = { ...isolationHeaders, ...headers };
  const handlers = Object.entries(mounts)
    .sort(([a], [b]) => b.length - a.length)
    .map(([prefix, dir]) => ({
      prefix,
      serve: sirv(`${repoRoot}/${dir}`, {
        dev: true, // no caching of file lists: models and builds appear while the server runs
        // Scripts and .wasm as any web server sends them: kept by the browser and revalidated on each
        // use (an ETag, `no-cache`), so a returning tab gets V8's code cache instead of compiling them
        // again. Models stay `no-store`: their copy is the Cache API's, and a cold load downloads.
        etag: prefix !== '/models/',
        dotfiles: false,
      }),
    }));

  const server = http.createServer((req, res) => {
    if (intercept?.(req, res)) return;
    // On every answer, set before sirv answers: its `304` carries only what the response already has,
    // and a worker of a cross-origin isolated page revalidated without COEP and CORP fails in WebKit.
    for (const [name, value] of Object.entries(allHeaders)) res.setHeader(name, value);
    const url = req.url ?? '/';
    if (url === modelIndexPath && mounts['/models/']) return serveModelIndex(res, `${repoRoot}/${mounts['/models/']}`);
    const handler = handlers.find(({ prefix }) => url === prefix.slice(0, -1) || url.startsWith(prefix));
    if (!handler) return notFound(res);
    // sirv sees the path relative to its mount.
    req.url = '/' + url.slice(handler.prefix.length).replace(/^\/+/, '');
    handler.serve(req, res, () => notFound(res));
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** Lists the generated models present, so a page can offer only those without probing (a 404 logs an error). */
export const modelIndexPath = '/models/index.json';

function serveModelIndex(res, dir) {
  const models = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`${dir}/${entry.name}/config.json`))
        .map((entry) => `/models/${entry.name}/`)
    : [];
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ models }));
}

function notFound(res) {
  res.statusCode = 404;
  res.end('Not found');
}
