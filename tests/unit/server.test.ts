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
function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, method: 'GET' }, (res) => {
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
