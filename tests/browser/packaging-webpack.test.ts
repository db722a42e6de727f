// A webpack 5 app (examples/webpack-app) on the npm pack tarballs, built with webpack's defaults
// (src/index.js → dist/main.js, no config file): the chatbot replies and two tabs share the scoreboard.
import { before } from 'node:test';
import { join } from 'node:path';
import { browserSuite } from '../support/browser.ts';
import { packedInstall, serveFolders, packagingEngines } from '../support/packaging.ts';
import { checkChatAndSharedScores } from './packaging-checks.ts';

browserSuite('packaging-webpack', packagingEngines, (env) => {
  let app: string;

  before(async () => {
    app = packedInstall().app('webpack-app');
  });

  /** `webpack --mode production` in the app folder, through webpack's Node API (no webpack-cli). */
  async function webpackBuild(context: string): Promise<void> {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
      // What the CLI passes when run in the app folder: that folder as context, its dist/ as output.
      webpack({ context, mode: 'production', output: { path: join(context, 'dist') } }, (error, stats) => (error || !stats ? reject(error) : resolve(stats))),
    );
    if (stats.hasErrors()) throw new Error(`webpack build failed:\n${stats.toString({ all: false, errors: true })}`);
  }

  env.test('webpack 5 production build: the chatbot replies and two tabs share the scoreboard', { timeout: 300_000 }, async () => {
    await webpackBuild(app);
    const server = await serveFolders({ '/': app });
    try {
      await checkChatAndSharedScores(env, `${server.url}/?model=/models/tiny/`);
    } finally {
      await server.close();
    }
  });
});
