// `npm test`: unit tests in Node, then the browser tests once per engine (Chromium, Firefox ESR,
// WebKitGTK), one engine after another, all through node:test. Engines come from TABWISE_BROWSERS
// (default: all); one that is not installed is skipped, and the run says which and why.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { selectEngines } from './browsers.js';
import { findChromium } from './chromium.js';

const require = createRequire(import.meta.url);
const filter = process.argv.slice(2); // optional: only test files whose path contains one of these

// Chromium is the reference engine: installed with apt when missing and we are root.
if (selectEngines().asked.includes('chromium')) findChromium({ install: true });
const { run: engines, skipped } = selectEngines();
for (const { engine, reason } of skipped) console.log(`▲ browser tests: ${engine} SKIPPED: ${reason}`);

if (!process.env.TABWISE_SKIP_BUILD) {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}
execFileSync(process.execPath, ['scripts/ensure-models.js', 'tiny'], { stdio: 'inherit' });

const testFiles = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map((name) => `${dir}/${name}`)
        .filter((file) => file.endsWith('.test.ts'))
        .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
        .sort()
    : [];

const failureReporter = new URL('./failure-reporter.js', import.meta.url).href;
const reports = mkdtempSync(join(tmpdir(), 'tabwise-test-'));
/** Runs node:test on `files` (spec to stdout, failures to stderr, TAP to a file for the summary). */
function runTests(label, files, env) {
  if (files.length === 0) return undefined;
  const tap = join(reports, `${label}.tap`);
  const failures = join(reports, `${label}.failures`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      '--import', require.resolve('tsx'), '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      // Names each failure (file, full test name, values compared) as it happens, on stderr.
      `--test-reporter=${failureReporter}`, '--test-reporter-destination=stderr',
      // … and again to a file, repeated after the summary: a CI log's tail then names every failure.
      `--test-reporter=${failureReporter}`, `--test-reporter-destination=${failures}`,
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)`, 'm'))?.[1] ?? 0);
  const failed = existsSync(failures) ? readFileSync(failures, 'utf8').trim() : '';
  return { label, failed, status: result.status ?? 1, seconds: (Date.now() - started) / 1000, pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: (text.match(/# SKIP/g) ?? []).length, rerun: (text.match(/^\s*# \w+ stopped answering \(/gm) ?? []).length }; // skipped tests and suites
}

const summary = [runTests('unit', testFiles('tests/unit'), {})];
for (const engine of engines) summary.push(runTests(engine, testFiles('tests/browser'), { TABWISE_BROWSERS: engine }));
rmSync(reports, { recursive: true, force: true });

for (const part of summary.filter((part) => part?.failed)) console.log(`\n━━ ${part.label}: what failed ━━\n${part.failed}`);
console.log('\nsummary (engines run one after another):');
for (const part of summary.filter(Boolean)) {
  console.log(`  ${part.label.padEnd(9)} pass ${part.pass}, fail ${part.fail}, skipped ${part.skipped}, ${part.seconds.toFixed(0)} s${part.rerun ? `, ${part.rerun} run again in a relaunched browser (tests/browser/harness-hung-engine.test.ts makes one)` : ''}${part.status ? '  ✖' : ''}`);
}
for (const { engine, reason } of skipped) console.log(`  ${engine.padEnd(9)} SKIPPED: ${reason}`);
process.exit(summary.some((part) => part && part.status !== 0) ? 1 : 0);
