// The harness itself: a browser that stops answering its driver mid-test (WebKitGTK under load, see
// docs/decisions/browsers.md) is found within the command deadline, relaunched, and the test runs
// once more in the fresh browser. The hang here is real: MiniBrowser is stopped with SIGSTOP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { browserSuite } from '../support/browser.ts';
import { waitFor } from '../support/eventually.ts';

/** Process ids of the MiniBrowser in process group `group` (this engine's, not another run's). */
function miniBrowsers(group: number): number[] {
  try {
    return execFileSync('pgrep', ['-x', '-g', String(group), 'MiniBrowser'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

browserSuite('harness: a hung browser', { engines: ['webkit'], reason: 'WebKit only: the other drivers have not been seen to hang' }, (env) => {
  let attempts = 0;
  let frozen: number[] = [];
  let group = 0;
  const processGroup = () => (env.browser as typeof env.browser & { processGroup: number }).processGroup;
  env.test('a MiniBrowser that stops answering is relaunched and the test runs again, once', async () => {
    attempts++;
    const page = await env.newPage('/tests/pages/global-state/index.html');
    if (attempts === 1) {
      group = processGroup();
      frozen = miniBrowsers(group);
      assert.ok(frozen.length > 0, 'a MiniBrowser is running');
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      await page.evaluate(() => document.readyState);
      assert.fail('a stopped MiniBrowser answered');
    }
    assert.equal(attempts, 2, 'the test ran again after the hang');
    assert.equal(await page.evaluate(() => 6 * 7), 42);
    // The stopped browser was killed with its driver, not left behind.
    assert.notEqual(processGroup(), group, 'a new browser was launched');
    await waitFor('the stopped MiniBrowser to be killed', () => miniBrowsers(group), (pids) => pids.length === 0);
    assert.equal(env.browser.hung, undefined, 'the fresh browser is not marked hung');
  });
});
