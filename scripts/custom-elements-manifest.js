// Writes packages/elements/custom-elements.json from the elements' source and JSDoc
// (@fires, @csspart, @cssprop, @property docs), with the analyzer's Lit plugin.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cem = require.resolve('@custom-elements-manifest/analyzer/cem.js');
const elements = fileURLToPath(new URL('../packages/elements/', import.meta.url));

execFileSync(process.execPath, [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], {
  cwd: elements,
  stdio: 'inherit',
});
