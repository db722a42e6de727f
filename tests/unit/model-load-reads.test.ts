// The order of a load's file reads over HTTP (Node's fetch, the same HttpFileStore a page uses): the
// ONNX file, the longest read, starts beside the JSON files; a JSON file that fails stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadModel } from '../../packages/core/src/engine/load-model.ts';
import type { FileProgress } from '../../packages/core/src/engine/file-store.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

type Handler = (file: string, request: IncomingMessage, response: ServerResponse, serveFile: () => void) => void;

/** Serves the tiny model's folder on a free port; `handle` decides how each file is answered. */
async function serveModel(handle: Handler) {
  const folder = requireTinyModel();
  const server = createServer((request, response) => {
    const file = decodeURIComponent(new URL(request.url!, 'http://x').pathname.slice(1));
    const serveFile = () => {
      try {
        response.writeHead(200, { 'content-length': statSync(folder + file).size });
      } catch {
        response.writeHead(404).end();
        return;
      }
      createReadStream(folder + file).pipe(response);
    };
    handle(file, request, response, serveFile);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('the ONNX file is requested before config.json has answered', { timeout: 120_000 }, async () => {
  // config.json waits for the ONNX file's request (or 30 s): a loader that reads the JSON files
  // first would request the ONNX file only after that deadline.
  let onnxRequested!: () => void;
  const onnxRequest = new Promise<void>((resolve) => (onnxRequested = resolve));
  const order: string[] = [];
  const served = await serveModel((file, _request, response, serveFile) => {
    if (file === 'onnx/model.onnx') {
      order.push('onnx requested');
      onnxRequested();
      serveFile();
    } else if (file === 'config.json') {
      void Promise.race([onnxRequest, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]).then(() => {
        order.push('config.json answered');
        serveFile();
      });
    } else serveFile();
  });
  try {
    const model = await loadModel({ model: served.url, dtype: 'fp32', device: 'wasm' });
    await model.decoder.release();
    assert.deepEqual(order, ['onnx requested', 'config.json answered']);
  } finally {
    await served.close();
  }
});

test('a JSON file that fails stops the ONNX download: the error names the JSON file, and no progress follows', { timeout: 120_000 }, async () => {
  let onnxCut!: (bytesSent: number) => void;
  const onnxClosed = new Promise<number>((resolve) => (onnxCut = resolve));
  let onnxStarted!: () => void;
  const onnxStart = new Promise<void>((resolve) => (onnxStarted = resolve));
  const served = await serveModel((file, _request, response, serveFile) => {
    if (file === 'onnx/model.onnx') {
      // The graph trickles out, 16 KiB every 50 ms (6 MB would take minutes), until the client goes.
      const total = 6 << 20;
      let sent = 0;
      response.writeHead(200, { 'content-length': total });
      const timer = setInterval(() => {
        response.write(Buffer.alloc(16 << 10, sent === 0 ? 0x08 : 0));
        sent += 16 << 10;
        if (sent === 16 << 10) onnxStarted();
      }, 50);
      response.on('close', () => {
        clearInterval(timer);
        onnxCut(sent);
      });
    } else if (file === 'tokenizer_config.json') {
      // Fails only once the download is under way, so the loader has something to stop.
      void onnxStart.then(() => response.writeHead(404).end());
    } else serveFile();
  });
  const progress: FileProgress[] = [];
  try {
    await assert.rejects(
      loadModel({ model: served.url, dtype: 'fp32', device: 'wasm', onProgress: (p) => progress.push(p) }),
      (error: Error) => error.name === 'ModelLoadError' && /tokenizer_config\.json: HTTP 404/.test(error.message),
    );
    const seenAtRejection = progress.length;
    const sent = await onnxClosed;
    assert.ok(sent < 6 << 20, `the download was stopped (${sent} bytes sent)`);
    assert.ok(progress.some((p) => p.file === 'onnx/model.onnx'), 'the ONNX file was being downloaded when the JSON file failed');
    assert.equal(progress.length, seenAtRejection, 'no progress after the load failed');
  } finally {
    await served.close();
  }
});
