// One config() mapped over a data list of entries (comlink's habit): each entry is one output file,
// so worker files and the drop-in bundle never share chunks and keep stable names across builds.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import typescript from '@rollup/plugin-typescript';

const require = createRequire(import.meta.url);
const ortDist = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm').replace(/[^/]+$/, '');
// What onnxruntime-web loads at run time: the plain WASM build for the wasm device, the JSEP
// build (WebGPU kernels) for the webgpu device.
const ortAssets = [
  // Each build's JavaScript API, loaded when a load starts that device (engine/runtime-builds.worker.ts).
  'ort.wasm.min.mjs',
  'ort.min.mjs',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.jsep.mjs',
  'ort-wasm-simd-threaded.jsep.wasm',
];

const dependencies = (pkg) => Object.keys(JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8')).dependencies ?? {});

/** In the drop-in bundle, @tabwise/core is compiled from source rather than from its own build. */
function coreFromSource() {
  const coreSource = new URL('./packages/core/src/', import.meta.url).pathname;
  return {
    name: 'core-from-source',
    resolveId: (id) => (id === '@tabwise/core' ? `${coreSource}index.ts` : id === '@tabwise/core/worker' ? `${coreSource}worker.ts` : null),
  };
}

/** Emits onnxruntime-web's run-time files beside a worker, where the engine's wasmPaths points. */
function copyOrtAssets() {
  return {
    name: 'copy-ort-assets',
    generateBundle() {
      for (const fileName of ortAssets) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(ortDist + fileName) });
      }
    },
  };
}

/**
 * In the engine worker's bundle, a module with a `.worker.ts` sibling is replaced by it: there,
 * onnxruntime-web's builds, onnx-proto and the tokenizer library are files beside the worker,
 * fetched when needed, instead of code every worker evaluates as it starts (engine/runtime-builds.worker.ts).
 */
function workerVariants() {
  return {
    name: 'worker-variants',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const variant = fileURLToPath(new URL(source.replace(/\.js$/, '.worker.ts'), pathToFileURL(importer)));
      return existsSync(variant) ? variant : null;
    },
  };
}

/**
 * In a self-contained browser bundle, onnxruntime-web's own `import.meta.url` is the worker's
 * location (it is inlined there, so the value is the same). Left as import.meta.url, webpack
 * follows onnxruntime-web's `new URL('ort.min.mjs', import.meta.url)` fallbacks, files that are
 * not shipped, and fails the app's build; tabwise names the files it needs in runtime-file-urls.ts.
 */
function ortImportMetaUrlAsWorkerLocation() {
  return {
    name: 'ort-import-meta-url',
    resolveImportMeta(property, { moduleId }) {
      if (property === 'url' && /[\\/]onnxruntime-(web|common)[\\/]/.test(moduleId)) return 'self.location.href';
      return null;
    },
  };
}

/** Browser bundles never take the Node-only paths (a model directory); `node:` modules are empty there. */
function emptyNodeBuiltins() {
  return {
    name: 'empty-node-builtins',
    resolveId: (id) => (id.startsWith('node:') ? `\0empty:${id}` : null),
    load: (id) => (id.startsWith('\0empty:') ? 'export default {};' : null),
  };
}

/**
 * kind 'library': npm build, dependencies stay bare imports for the consumer's bundler.
 * kind 'bundle': everything inlined, loadable from a plain page with no build step.
 * kind 'node': the CLI, dependencies resolved from node_modules at run time.
 */
const entries = [
  { pkg: 'core', input: 'index.ts', kind: 'library' },
  { pkg: 'core', input: 'worker.ts', kind: 'library' },
  // Workers are self-contained (no bare imports): a bundler that only copies them still works.
  { pkg: 'core', input: 'engine-worker.ts', kind: 'bundle', ortAssets: true },
  // Loaded by the engine worker from beside it when a WASM load starts (engine/onnx-proto-loader.worker.ts).
  { pkg: 'core', input: 'model-maker/onnx-proto.ts', output: 'onnx-proto.js', kind: 'bundle' },
  // Loaded by the engine worker from beside it as a load starts (engine/tokenizers-loader.worker.ts).
  { pkg: 'core', input: 'engine/tokenizers.ts', output: 'tokenizers.js', kind: 'bundle' },
  { pkg: 'core', input: 'global-store-worker.ts', kind: 'bundle' },
  { pkg: 'core', input: 'node.ts', kind: 'node' },
  { pkg: 'core', input: 'server-state-worker.ts', kind: 'bundle' },
  { pkg: 'core', input: 'server-protocol.ts', kind: 'library' },
  { pkg: 'core', input: 'cli.ts', kind: 'node' },
  { pkg: 'elements', input: 'index.ts', kind: 'library' },
  { pkg: 'elements', input: 'drop-in.ts', output: 'tabwise.js', kind: 'bundle' },
  { pkg: 'elements', input: '../../core/src/engine-worker.ts', output: 'engine-worker.js', kind: 'bundle', ortAssets: true },
  { pkg: 'elements', input: '../../core/src/model-maker/onnx-proto.ts', output: 'onnx-proto.js', kind: 'bundle' },
  { pkg: 'elements', input: '../../core/src/engine/tokenizers.ts', output: 'tokenizers.js', kind: 'bundle' },
  { pkg: 'elements', input: '../../core/src/global-store-worker.ts', output: 'global-store-worker.js', kind: 'bundle' },
  { pkg: 'elements', input: '../../core/src/server-state-worker.ts', output: 'server-state-worker.js', kind: 'bundle' },
  { pkg: 'server', input: 'index.ts', kind: 'node' },
  { pkg: 'server', input: 'cli.ts', kind: 'node' },
  // For your own workers, which cannot load the elements (no DOM there).
  { pkg: 'elements', input: '../../core/src/worker.ts', output: 'tabwise-worker.js', kind: 'bundle' },
];

function config({ pkg, input, output, kind, ortAssets: withOrt }) {
  const external =
    kind === 'bundle'
      ? []
      : [...dependencies(pkg), '@tabwise/core', '@tabwise/server', /^node:/].map((name) =>
          typeof name === 'string' ? new RegExp(`^${name.replace('/', '\\/')}(\\/|$)`) : name,
        );
  return {
    input: `packages/${pkg}/src/${input}`,
    external,
    onwarn(warning, warn) {
      // onnxruntime-web's bundle uses eval-free dynamic imports but rollup still flags `this` at top level.
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
    plugins: [
      kind === 'bundle' ? coreFromSource() : null,
      kind === 'bundle' ? emptyNodeBuiltins() : null,
      kind === 'bundle' ? ortImportMetaUrlAsWorkerLocation() : null,
      withOrt ? workerVariants() : null,
      nodeResolve({
        browser: kind !== 'node',
        // Use onnxruntime-web's build that loads its .wasm/.mjs from wasmPaths instead of inlining 28 MB.
        exportConditions: kind === 'node' ? ['node'] : ['onnxruntime-web-use-extern-wasm', 'browser'],
      }),
      commonjs(),
      typescript({
        tsconfig: 'tsconfig.base.json',
        compilerOptions: { declaration: false, sourceMap: true, noEmitOnError: false },
        include: ['packages/*/src/**/*.ts'],
        noForceEmit: false,
      }),
      withOrt ? copyOrtAssets() : null,
    ],
    output: {
      file: `packages/${pkg}/dist/${output ?? input.replace(/\.ts$/, '.js')}`,
      format: 'es',
      // Maps stay in the build folder for debugging; the npm package leaves them out, so nothing
      // shipped names a file that is not there.
      sourcemap: 'hidden',
      inlineDynamicImports: true,
      banner: kind === 'node' ? '#!/usr/bin/env node' : undefined,
    },
  };
}

export default entries.map(config);
