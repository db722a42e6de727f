// A node:test reporter that names every failure the moment it happens: the file, the test's full
// name (its describe()s joined with ›) and, for assertions, the values compared. It runs beside the
// spec reporter, so a CI log shows the first failure in full even if the run is killed later.
import { inspect } from 'node:util';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* failureReporter(source) {
  // The names of the tests now running, outermost first. One stack, not one per data.file: a
  // browser suite's describe() is in its test file but its tests are in the harness (browser.ts),
  // and npm test runs one file at a time.
  const stack = [];
  const failures = [];
  for await (const { type, data } of source) {
    if (type === 'test:start') {
      stack.length = data.nesting;
      stack.push(data.name);
    }
    if (type !== 'test:fail') continue;
    const error = data.details?.error;
    // A failing describe() repeats its first failing test; name only the tests themselves.
    if (error?.failureType === 'subtestsFailed') continue;
    const fullName = [...stack.slice(0, data.nesting), data.name].join(' › ');
    // The test file, from the assertion's stack frame: data.file is wherever test() was called
    // (the browser harness, for browser suites), and data.line points into tsx's compiled output.
    const where = testFileOf(error) ?? (data.file ? relative(data.file) : '(unknown file)');
    failures.push(`${where}  ${fullName}`);
    yield `\n✖ FAILED  ${where}\n  test: ${fullName}\n${describe(error)}\n`;
  }
  // npm test's --test-force-exit usually ends the runner before this closing list is written;
  // scripts/test.js repeats each failure above its summary instead.
  if (failures.length > 0) yield `\n${failures.length} failed test(s):\n${failures.map((line) => `  ✖ ${line}`).join('\n')}\n`;
}

/** The assertion's message and compared values, or the error as thrown. */
function describe(error) {
  const cause = error?.cause ?? error;
  if (!cause) return '  (no error details)';
  const lines = [`  ${cause.name ?? 'Error'}: ${String(cause.message ?? cause).split('\n').join('\n  ')}`];
  if (cause.code === 'ERR_ASSERTION' && ('actual' in cause || 'expected' in cause)) {
    lines.push(`  operator: ${cause.operator}`);
    lines.push(`  actual:   ${inspect(cause.actual, { depth: 6, breakLength: 120 })}`);
    lines.push(`  expected: ${inspect(cause.expected, { depth: 6, breakLength: 120 })}`);
  }
  const frame = String(cause.stack ?? '').split('\n').find((line) => /\.test\.ts:\d+/.test(line));
  if (frame) lines.push(`  at ${frame.trim().replace(/^at /, '')}`);
  return lines.join('\n');
}

function relative(file) {
  const root = process.cwd() + '/';
  const path = file.startsWith('file://') ? new URL(file).pathname : file;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** `tests/…/x.test.ts:LINE` from the first stack frame in a test file, if there is one. */
function testFileOf(error) {
  const stack = String((error?.cause ?? error)?.stack ?? '');
  const match = stack.match(/(\/[^\s():]+\.test\.ts):(\d+)/);
  return match ? `${relative(match[1])}:${match[2]}` : undefined;
}
