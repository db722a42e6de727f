// npm test's stages: a stage past the run's deadline is killed, and what a stage leaves running is
// found by its environment marker, killed and named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
// @ts-expect-error plain JS module shared with the npm scripts
import { runStage } from '../../scripts/test-stage.js';

/** A script that starts a detached `sleep seconds` (outside the stage's process group) and exits. */
function leaveASleeper(seconds: number): string {
  return `require('node:child_process').spawn('sleep', ['${seconds}'], { detached: true, stdio: 'ignore' }).unref();`;
}

function sleepersWith(marker: string): number {
  try {
    return execFileSync('pgrep', ['-f', `sleep ${marker}`], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

test('a stage that exits passes its status on, and leaves nothing behind', async () => {
  const result = await runStage(process.execPath, ['-e', 'process.exit(3)'], process.env, Date.now() + 60_000);
  assert.deepEqual(result, { status: 3, timedOut: false, leftovers: [] });
});

test('a stage still running at the deadline is killed, with what it started', async () => {
  const marker = String(1000 + Math.floor(Math.random() * 1000));
  const script = `${leaveASleeper(Number(marker))} setInterval(() => {}, 1000);`;
  const started = Date.now();
  const result = await runStage(process.execPath, ['-e', script], process.env, Date.now() + 1_500);
  assert.equal(result.timedOut, true);
  assert.equal(result.status, 1);
  assert.ok(Date.now() - started < 30_000, 'it did not wait for the stage to end by itself');
  assert.deepEqual(result.leftovers, ['sleep']);
  assert.equal(sleepersWith(marker), 0, 'the detached sleep is gone');
});

test('a process a finished stage left running is killed and named', async () => {
  const result = await runStage(process.execPath, ['-e', leaveASleeper(1000)], process.env, Date.now() + 60_000);
  assert.deepEqual(result, { status: 0, timedOut: false, leftovers: ['sleep'] });
});
