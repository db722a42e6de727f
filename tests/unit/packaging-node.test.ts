// @tabwise/core from its npm pack tarball, in plain Node: createChat() takes the generated model's
// directory (absolute, relative, file: URL) and its greedy replies match the CLI's; global state
// works in the process with a transport that says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireTinyModel } from '../support/tiny-model.ts';
import { packedInstall } from '../support/packaging.ts';

const turns = ['Hello there', 'How are you today?'];

/** Runs an ES module script inside the folder the tarballs are installed in, as a user's app. */
function runInApp(folder: string, name: string, source: string): string {
  writeFileSync(join(folder, name), source);
  return execFileSync(process.execPath, [name], { cwd: folder, encoding: 'utf8', timeout: 120_000 });
}

test('createChat() in Node on a model directory gives the greedy replies of the CLI', { timeout: 300_000 }, async () => {
  const model = requireTinyModel().replace(/\/$/, '');
  const apps = join(packedInstall().app('vite-app'), '..');
  const cli = execFileSync(join(apps, 'node_modules/.bin/tabwise'), ['chat', '--model', model, '--dtype', 'fp32', '--max-new-tokens', '12', '--greedy', '--json'], {
    input: turns.join('\n') + '\n',
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { reply: string; reply_ids: number[] });

  for (const location of [model, relative(apps, model), pathToFileURL(model).href]) {
    const output = runInApp(
      apps,
      'node-chat.mjs',
      `import { createChat } from '@tabwise/core';
const chat = await createChat({ model: ${JSON.stringify(location)}, dtype: 'fp32', generation: { maxNewTokens: 12, doSample: false } });
const replies = [];
for (const text of ${JSON.stringify(turns)}) replies.push({ reply: await chat.send(text), newTokens: chat.stats.newTokens });
console.log(JSON.stringify({ device: chat.device, history: chat.history.length, replies }));
await chat.dispose();
`,
    );
    const result = JSON.parse(output);
    assert.equal(result.device, 'wasm', location);
    assert.equal(result.history, 4, location);
    assert.deepEqual(
      result.replies,
      cli.map((turn) => ({ reply: turn.reply, newTokens: turn.reply_ids.length })),
      `createChat({ model: ${location} }) replies as the CLI does`,
    );
  }
});

test('createGlobalState() in Node keeps state in the process and says so', { timeout: 120_000 }, () => {
  const apps = join(packedInstall().app('vite-app'), '..');
  const output = runInApp(
    apps,
    'node-state.mjs',
    `import { createGlobalState } from '@tabwise/core';
const scores = createGlobalState('scores', []);
const seen = [];
const off = scores.subscribe((value) => seen.push(value));
await Promise.all([1, 2, 3].map((n) => scores.update((all) => [...all, n])));
const value = await scores.get();
off();
console.log(JSON.stringify({ transport: scores.transport, value: [...value].sort(), last: seen.at(-1)?.length }));
`,
  );
  const result = JSON.parse(output.trim().split('\n').at(-1)!);
  assert.deepEqual(result, { transport: 'in-process', value: [1, 2, 3], last: 3 });
});
