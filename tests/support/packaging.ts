// The packages as users get them: `npm pack` both, install the tarballs once, and build the
// examples/ apps from them. Packing and installing take a while, so the result is cached in a
// temp dir keyed by what the build folders hold: every test file of one `npm test` run shares it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/** Packaging suites run in Chromium only: what a bundler emits does not depend on the browser. */
export const packagingEngines = {
  engines: ['chromium' as const],
  reason: 'Chromium only: packaging and install paths are checked in one engine (what a bundler emits does not depend on the browser)',
};

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const tinyModelDir = join(repoRoot, 'models/tiny');

function buildFingerprint(): string {
  const hash = createHash('sha256');
  hash.update(String(statSync(fileURLToPath(import.meta.url)).mtimeMs)); // this recipe
  for (const pkg of ['core', 'elements']) {
    const dir = join(repoRoot, 'packages', pkg);
    hash.update(String(statSync(join(dir, 'package.json')).mtimeMs));
    for (const name of readdirSync(join(dir, 'dist'), { recursive: true }) as string[]) {
      const stat = statSync(join(dir, 'dist', name));
      if (stat.isFile()) hash.update(`${name}:${stat.size}:${stat.mtimeMs}`);
    }
  }
  for (const name of readdirSync(join(repoRoot, 'examples'), { recursive: true }) as string[]) {
    if (/node_modules|tarballs|dist/.test(name)) continue;
    const stat = statSync(join(repoRoot, 'examples', name));
    if (stat.isFile()) hash.update(`${name}:${stat.size}:${stat.mtimeMs}`);
  }
  return hash.digest('hex').slice(0, 16);
}

export interface PackedInstall {
  /** Holds tarballs/ (the npm pack output) and apps/ (examples with the tarballs installed). */
  root: string;
  tarballs: string[];
  /** An example's folder with its node_modules reachable (apps/node_modules). */
  app(name: string): string;
}

/** Packs and installs once per build; later calls (other test files) reuse the result. */
export function packedInstall(): PackedInstall {
  const root = join(tmpdir(), `tabwise-packaging-${buildFingerprint()}`);
  const tarballDir = join(root, 'tarballs');
  const apps = join(root, 'apps');
  if (!existsSync(join(root, 'ready'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(tarballDir, { recursive: true });
    for (const pkg of ['core', 'elements']) {
      execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballDir], { cwd: join(repoRoot, 'packages', pkg), stdio: ['ignore', 'ignore', 'inherit'] });
    }
    // The examples refer to ../tarballs/*.tgz, as in the repository.
    cpSync(join(repoRoot, 'examples'), apps, { recursive: true, filter: (src) => !/node_modules|dist|tarballs/.test(src.slice(repoRoot.length)) });
    writeFileSync(join(apps, 'package.json'), JSON.stringify({ name: 'tabwise-packaging-test', private: true, type: 'module' }));
    const tarballs = readdirSync(tarballDir).map((name) => join(tarballDir, name));
    // One install for every example (they share apps/node_modules); dependencies come from npm's cache.
    execFileSync('npm', ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: apps, stdio: ['ignore', 'ignore', 'inherit'] });
    // The examples now share apps/node_modules like the packages of a monorepo; say so, so that
    // Vite's dev server allows files there as it does an app's own node_modules.
    const examples = readdirSync(apps).filter((name) => existsSync(join(apps, name, 'package.json')));
    writeFileSync(join(apps, 'package.json'), JSON.stringify({ name: 'tabwise-packaging-test', private: true, type: 'module', workspaces: examples }));
    writeFileSync(join(root, 'ready'), new Date().toISOString());
  }
  return {
    root,
    tarballs: readdirSync(tarballDir).map((name) => join(tarballDir, name)),
    app: (name) => join(apps, name),
  };
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A static server over absolute folders (URL prefix → folder), with the generated models under
 * /models/. No COOP/COEP unless asked: most pages that install a library are not isolated.
 */
export async function serveFolders(mounts: Record<string, string>, headers: Record<string, string> = {}): Promise<StaticServer> {
  const handlers = Object.entries({ '/models/': join(repoRoot, 'models'), ...mounts })
    .sort(([a], [b]) => b.length - a.length)
    .map(([prefix, dir]) => ({
      prefix,
      serve: sirv(dir, { dev: true, setHeaders: (res) => Object.entries(headers).forEach(([name, value]) => res.setHeader(name, value)) }),
    }));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const handler = handlers.find(({ prefix }) => url.startsWith(prefix));
    if (req.method === 'OPTIONS') {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.writeHead(204).end();
      return;
    }
    if (!handler) return void res.writeHead(404).end('not found');
    req.url = '/' + url.slice(handler.prefix.length);
    handler.serve(req, res, () => void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs a root devDependency's command-line tool (vite, webpack…) in `cwd`, as `npx` would. */
export function runTool(bin: string, args: string[], cwd: string): void {
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', bin), ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts a long-running tool and resolves once its output matches `ready`. */
export function startTool(bin: string, args: string[], cwd: string, ready: RegExp, timeoutMs = 60_000): Promise<{ process: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', bin), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${bin} did not print ${ready} within ${timeoutMs} ms; it printed:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.replace(/\x1b\[[0-9;]*m/g, '').match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${bin} exited (${code}) before printing ${ready}:\n${output}`));
    });
  });
}
