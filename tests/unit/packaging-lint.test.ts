// Package quality of the npm pack tarballs: publint and @arethetypeswrong/cli pass (types resolve
// under moduleResolution bundler and node16; the packages are ESM-only, hence the esm-only profile),
// and each tarball holds what users need: every file `exports` names, no tests, no source maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { packedInstall, repoRoot } from '../support/packaging.ts';

const tarballs = () => packedInstall().tarballs;

function packedFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((name) => name.replace(/^package\//, ''));
}

/** Every file an exports map (and main/types/bin) names, resolved against the package root. */
function namedFiles(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  for (const field of ['main', 'types', 'customElements']) walk(manifest[field]);
  return [...new Set(found)];
}

test('publint finds nothing to fix in either package', { timeout: 120_000 }, async () => {
  for (const tarball of tarballs()) {
    const { messages } = await publint({ pack: { tarball: readFileSync(tarball).buffer as ArrayBuffer }, level: 'suggestion', strict: true });
    assert.deepEqual(messages, [], `${tarball}: ${JSON.stringify(messages, null, 2)}`);
  }
});

test('attw: types resolve for every entry point under bundler and node16 (ESM)', { timeout: 180_000 }, () => {
  for (const tarball of tarballs()) {
    const attw = join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    // attw exits 1 when it finds problems; the JSON says which.
    const run = spawnSync(process.execPath, [attw, tarball, '--profile', 'esm-only', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const result = JSON.parse(run.stdout);
    const ignored = new Set(['node10', 'node16-cjs']); // the esm-only profile: these packages have no CommonJS build
    const problems = (result.analysis?.problems ?? []).filter((problem: { resolutionKind?: string }) => !ignored.has(problem.resolutionKind ?? ''));
    assert.deepEqual(problems, [], `${tarball}: ${JSON.stringify(problems, null, 2)}`);
  }
});

test('each tarball holds every file its exports name, and no tests, sources or source maps', { timeout: 60_000 }, () => {
  for (const tarball of tarballs()) {
    const files = packedFiles(tarball);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    for (const file of namedFiles(manifest)) assert.ok(files.includes(file), `${manifest.name}: ${file} is named but not packed`);
    const unwanted = files.filter((file) => /\.map$|(^|\/)(tests?|src)\/|\.test\.|tsbuildinfo/.test(file));
    assert.deepEqual(unwanted, [], `${manifest.name} packs files users do not need`);
    // Worker files are self-contained: a bundler that only copies them still works.
    for (const worker of files.filter((file) => /^dist\/[^/]*worker\.js$/.test(file) && file !== 'dist/worker.js')) {
      const source = execFileSync('tar', ['-xzOf', tarball, `package/${worker}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.doesNotMatch(source, /^\s*(import|export)[^;]*from\s*["'][^./]/m, `${manifest.name}/${worker} has a bare import`);
    }
  }
});
