// The `tabwise` CLI's JSON shapes, run as a user would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { requireTinyModel } from '../support/tiny-model.ts';

const tsx = createRequire(import.meta.url).resolve('tsx');

function tabwise(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', tsx, 'packages/core/src/cli.ts', ...args], { input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('generate --prompt-ids --json: input ids as given, new ids only, text of them', () => {
  const model = requireTinyModel();
  const { code, stdout, stderr } = tabwise(['generate', '--model', model, '--dtype', 'fp32', '--prompt-ids', '15496,995,50256', '--max-new-tokens', '6', '--greedy', '--json']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const out = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(out), ['input_ids', 'output_ids', 'text']);
  assert.deepEqual(out.input_ids, [15496, 995, 50256]);
  assert.ok(out.output_ids.length >= 1 && out.output_ids.length <= 6);
  assert.ok(!out.output_ids.includes(50256), 'eos is not part of the output');
  assert.equal(typeof out.text, 'string');
});

test('generate --prompt encodes the text and appends eos, as a DialoGPT turn', () => {
  const model = requireTinyModel();
  const { code, stdout, stderr } = tabwise(['generate', '--model', model, '--dtype', 'fp32', '--prompt', 'Hello world', '--max-new-tokens', '3', '--json']);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout).input_ids, [15496, 995, 50256]);
});

test('chat --json: one line per turn, context ids growing with the conversation', () => {
  const model = requireTinyModel();
  const { code, stdout, stderr } = tabwise(['chat', '--model', model, '--dtype', 'fp32', '--max-new-tokens', '5', '--json'], 'Hello world\nHow are you?\n');
  assert.equal(code, 0, stderr);
  const turns = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(turns.length, 2);
  assert.deepEqual(Object.keys(turns[0]), ['user', 'context_ids', 'reply_ids', 'reply']);
  assert.deepEqual(turns[0].context_ids, [15496, 995, 50256]);
  assert.equal(turns[1].user, 'How are you?');
  // history + previous reply + eos + this turn + eos
  assert.deepEqual(turns[1].context_ids.slice(0, 3 + turns[0].reply_ids.length), [...turns[0].context_ids, ...turns[0].reply_ids]);
  assert.equal(turns[1].context_ids.at(-1), 50256);
});

test('bad flags exit non-zero with a reason', () => {
  const model = requireTinyModel();
  const topP = tabwise(['generate', '--model', model, '--prompt', 'hi', '--top-p', '2']);
  assert.notEqual(topP.code, 0);
  assert.match(topP.stderr, /topP/);
  const missing = tabwise(['generate', '--prompt', 'hi']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--model/);
  const unknown = tabwise(['frobnicate']);
  assert.notEqual(unknown.code, 0);
  const badModel = tabwise(['generate', '--model', '/nonexistent/model/dir', '--prompt', 'hi']);
  assert.notEqual(badModel.code, 0);
});

test('--help prints the usage of every command and exits 0; a command\'s --help prints its own', () => {
  for (const flag of ['--help', '-h', 'help']) {
    const help = tabwise([flag]);
    assert.equal(help.code, 0, help.stderr);
    for (const command of ['generate', 'chat', 'make-test-model']) assert.match(help.stdout, new RegExp(`usage: tabwise ${command} `));
  }
  const generate = tabwise(['generate', '--help']);
  assert.equal(generate.code, 0, generate.stderr);
  assert.match(generate.stdout, /^usage: tabwise generate --model/);
  const unknown = tabwise(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"[\s\S]*usage: tabwise chat/);
});
