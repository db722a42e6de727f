// `npm test`: unit tests in Node, then browser tests in Debian's Chromium, all through node:test
// so one closing summary counts every passed and failed test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findChromium } from './chromium.js';

const require = createRequire(import.meta.url);
const filter = process.argv.slice(2); // optional: only test files whose path contains one of these

const chromium = findChromium({ install: true });
if (!chromium) process.exit(1);
process.env.CHROMIUM_PATH = chromium;

if (!process.env.TABWISE_SKIP_BUILD) {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}
execFileSync(process.execPath, ['scripts/ensure-models.js', 'tiny'], { stdio: 'inherit' });

const files = ['tests/unit', 'tests/browser']
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir, { recursive: true }).map((name) => `${dir}/${name}`))
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
  .sort();

const result = spawnSync(
  process.execPath,
  [
    '--import', require.resolve('tsx'), '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    // Names each failure (file, full test name, values compared) as it happens, on stderr.
    `--test-reporter=${new URL('./failure-reporter.js', import.meta.url).href}`, '--test-reporter-destination=stderr',
    ...files,
  ],
  { stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);
