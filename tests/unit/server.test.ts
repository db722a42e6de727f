// The demo server: cross-origin isolated, and never serves a file outside its mounts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serve, type Served } from '../support/browser.ts';

let server: Served;
before(async () => {
  server = await serve();
});
after(() => server?.close());

/** A raw GET, so the path reaches the server exactly as written (fetch would normalize `..`). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('serves the demos with the headers WASM threads need', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(index.body, /tabwise/i);
  assert.equal(index.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(index.headers['cross-origin-embedder-policy'], 'require-corp');
  assert.equal((await get('/models/tiny/config.json')).status, 200);
});

test('refuses paths outside its roots', async () => {
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/dist/../../package.json', '/models/..%2f..%2fpackage.json', '/demos/../.git/config', '/..%5c..%5cpackage.json']) {
    const response = await get(path);
    assert.notEqual(response.status, 200, `${path} answered ${response.status}`);
    assert.doesNotMatch(response.body, /"workspaces"|\[core\]/, `${path} leaked a file`);
  }
});

test("a returning tab revalidates the runtime's files instead of downloading them; models are never kept", async () => {
  // What a browser does with `no-cache` and an ETag: asks again, and gets 304 while the file is unchanged
  // (it then reuses the bytes and V8's compiled code). Models have the Cache API's copy instead.
  for (const path of ['/dist/ort-wasm-simd-threaded.wasm', '/dist/engine-worker.js']) {
    const first = await get(path);
    assert.equal(first.status, 200, path);
    assert.equal(first.headers['cache-control'], 'no-cache', path);
    const again = await get(path, { 'If-None-Match': String(first.headers.etag) });
    assert.equal(again.status, 304, path);
    // WebKit loads a revalidated worker script of an isolated page only if the 304 says so too.
    assert.equal(again.headers['cross-origin-embedder-policy'], 'require-corp', path);
    assert.equal(again.headers['cross-origin-resource-policy'], 'same-origin', path);
  }
  const model = await get('/models/tiny/config.json');
  assert.equal(model.headers['cache-control'], 'no-store');
  assert.equal(model.headers.etag, undefined);
});
