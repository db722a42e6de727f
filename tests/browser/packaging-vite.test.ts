// A Vite app (examples/vite-app) on the npm pack tarballs, zero configuration: the production
// build and the dev server both chat and share the scoreboard between two tabs.
import { before } from 'node:test';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite } from '../support/browser.ts';
import { packedInstall, repoRoot, runTool, serveFolders, startTool, packagingEngines } from '../support/packaging.ts';
import { checkChatAndSharedScores } from './packaging-checks.ts';

browserSuite('packaging-vite', packagingEngines, (env) => {
  const vite = 'vite/bin/vite.js';
  let app: string;

  before(async () => {
    app = packedInstall().app('vite-app');
  });

  const model = '?model=/models/tiny/';

  env.test('vite build: the chatbot replies and two tabs share the scoreboard', { timeout: 240_000 }, async () => {
    runTool(vite, ['build', '--logLevel', 'error'], app);
    const server = await serveFolders({ '/': join(app, 'dist') });
    try {
      await checkChatAndSharedScores(env, server.url + '/' + model);
    } finally {
      await server.close();
    }
  });

  env.test('vite dev server: the chatbot replies and two tabs share the scoreboard', { timeout: 240_000 }, async () => {
    // The dev server serves public/ at /: the generated models go there.
    if (!existsSync(join(app, 'public/models'))) {
      mkdirSync(join(app, 'public'), { recursive: true });
      symlinkSync(join(repoRoot, 'models'), join(app, 'public/models'), 'dir');
    }
    const dev = await startTool(vite, ['--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'], app, /Local:\s+(http:\/\/\S+)/);
    try {
      await checkChatAndSharedScores(env, dev.match[1].replace(/\/?$/, '/') + model);
    } finally {
      dev.process.kill();
    }
  });
});
