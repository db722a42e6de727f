// `npm test`: unit tests in Node, then the browser tests once per engine (Chromium, Firefox ESR,
// WebKitGTK), one engine after another, all through node:test. Engines come from TABWISE_BROWSERS
// (default: all); one that is not installed is skipped, and the run says which and why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { selectEngines } from './browsers.js';
import { findChromium } from './chromium.js';
import { runStage } from './test-stage.js';

const require = createRequire(import.meta.url);
const filter = process.argv.slice(2); // optional: only test files whose path contains one of these
// CI stops the whole job at 90 minutes (install included) and says nothing of why: past this budget
// the stage running is killed here, and the summary names it.
const budgetMinutes = Number(process.env.TABWISE_TEST_BUDGET_MIN ?? 80);
const runDeadline = Date.now() + budgetMinutes * 60_000;

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
async function runTests(label, files, env) {
  if (files.length === 0) return undefined;
  const tap = join(reports, `${label}.tap`);
  const failures = join(reports, `${label}.failures`);
  const started = Date.now();
  if (started >= runDeadline) return { label, failed: '', status: 1, seconds: 0, pass: 0, fail: 0, skipped: 0, rerun: 0, notRun: true };
  const result = await runStage(
    process.execPath,
    [
      '--import', require.resolve('tsx'), '--test', '--test-concurrency=1',
      // A test file whose tests are done exits even if a handle (a socket, a timer) is left open.
      '--test-force-exit',
      // A deadline for every test and hook that sets none (node:test's default is none at all).
      '--test-timeout=600000',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      // Names each failure (file, full test name, values compared) as it happens, on stderr.
      `--test-reporter=${failureReporter}`, '--test-reporter-destination=stderr',
      // … and again to a file, repeated after the summary: a CI log's tail then names every failure.
      `--test-reporter=${failureReporter}`, `--test-reporter-destination=${failures}`,
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { ...process.env, ...env },
    runDeadline,
  );
  const failed = existsSync(failures) ? readFileSync(failures, 'utf8').trim() : '';
  return {
    label, failed, status: result.status, seconds: (Date.now() - started) / 1000, timedOut: result.timedOut, leftovers: result.leftovers,
    ...countTap(existsSync(tap) ? readFileSync(tap, 'utf8') : ''),
  };
}

/**
 * Tests passed, failed (or cancelled) and skipped, from the TAP lines themselves: --test-force-exit
 * ends the runner before the reporter writes its closing counts. Suites are not counted as tests;
 * skipped counts skipped tests and suites.
 */
function countTap(text) {
  const counts = { pass: 0, fail: 0, skipped: 0, rerun: (text.match(/^\s*# \w+ stopped answering \(/gm) ?? []).length };
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const result = line.match(/^\s*(not )?ok \d+ - .*?( # SKIP.*)?$/);
    if (!result) return;
    if (result[2]) return void counts.skipped++;
    // The YAML block under a result says type: 'suite' for a describe().
    const block = lines.slice(index + 1, lines.findIndex((next, at) => at > index && /^\s*\.\.\.$/.test(next)));
    if (block.some((next) => /^\s*type: 'suite'$/.test(next))) return;
    counts[result[1] ? 'fail' : 'pass']++;
  });
  return counts;
}

const summary = [await runTests('unit', testFiles('tests/unit'), {})];
for (const engine of engines) summary.push(await runTests(engine, testFiles('tests/browser'), { TABWISE_BROWSERS: engine }));
rmSync(reports, { recursive: true, force: true });

for (const part of summary.filter((part) => part?.failed)) console.log(`\n━━ ${part.label}: what failed ━━\n${part.failed}`);
console.log('\nsummary (engines run one after another):');
for (const part of summary.filter(Boolean)) {
  if (part.notRun) {
    console.log(`  ${part.label.padEnd(9)} NOT RUN: the run's ${budgetMinutes}-minute budget was spent  ✖`);
    continue;
  }
  console.log(`  ${part.label.padEnd(9)} pass ${part.pass}, fail ${part.fail}, skipped ${part.skipped}, ${part.seconds.toFixed(0)} s${part.rerun ? `, ${part.rerun} run again in a relaunched browser (tests/browser/harness-hung-engine.test.ts makes one)` : ''}${part.status ? '  ✖' : ''}`);
  if (part.timedOut) console.log(`            KILLED: still running when the run's ${budgetMinutes}-minute budget (TABWISE_TEST_BUDGET_MIN) ran out; the last test above it in the log is the last one that finished`);
  if (part.leftovers.length) console.log(`            left running after its tests, and killed: ${part.leftovers.join(', ')}`);
}
for (const { engine, reason } of skipped) console.log(`  ${engine.padEnd(9)} SKIPPED: ${reason}`);
process.exit(summary.some((part) => part && part.status !== 0) ? 1 : 0);
