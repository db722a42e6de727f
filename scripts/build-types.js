// Declarations for each package's exports map; rollup only transpiles.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
for (const pkg of ['core', 'elements', 'server']) {
  execFileSync(process.execPath, [tsc, '-p', `packages/${pkg}/tsconfig.json`], { stdio: 'inherit' });
}
