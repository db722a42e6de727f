// The generated GPT-2 tokenizer files, loaded by @huggingface/tokenizers as the engine loads them.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import { DialogptTokenizer } from '../../packages/core/src/engine/dialogpt-tokenizer.ts';
import { writeTokenizerFiles } from '../../packages/core/src/model-maker/tokenizer-files.ts';

// gpt-3-encoder is a port of OpenAI's own GPT-2 encoder: a second opinion on every id.
const { encode: openaiEncode } = createRequire(import.meta.url)('gpt-3-encoder') as { encode(text: string): number[] };

const samples = [
  'Hello, how are you doing today?',
  "I'm fine, thanks. What's up?",
  'héllo wörld — naïve café',
  '日本語のテキスト',
  'emoji 👋🏽 🇫🇷 👨‍👩‍👧 done',
  '  leading spaces and\ttabs\nnew lines  \n\n',
  'numbers 1234567 3.14159 and symbols #@$%^&*()',
];

let dir = '';
let tokenizer: Tokenizer;
let json: Record<string, unknown> & { added_tokens: { id: number; content: string; special: boolean }[] };
let config: Record<string, unknown>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabwise-tokenizer-'));
  await writeTokenizerFiles(dir);
  json = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
  config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'));
  tokenizer = new Tokenizer(json, config);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated GPT-2 tokenizer', () => {
  test("encodes GPT-2's well-known ids", () => {
    assert.deepEqual(tokenizer.encode('Hello world').ids, [15496, 995]);
    assert.deepEqual(tokenizer.encode(' Hello').ids, [18435]);
    assert.deepEqual(tokenizer.encode('<|endoftext|>').ids, [50256]);
  });

  test('keeps <|endoftext|> whole between DialoGPT turns', () => {
    assert.deepEqual(tokenizer.encode('Hi!<|endoftext|>Hello').ids, [17250, 0, 50256, 15496]);
  });

  test('holds the full vocabulary: 50257 tokens, <|endoftext|> last', () => {
    assert.equal(tokenizer.get_vocab(true).size, 50257);
    assert.equal(tokenizer.id_to_token(50256), '<|endoftext|>');
    assert.equal(tokenizer.token_to_id('Ġthe'), 262);
  });


  test('matches OpenAI’s GPT-2 encoder on mixed text', () => {
    for (const text of samples) assert.deepEqual(tokenizer.encode(text).ids, openaiEncode(text), JSON.stringify(text));
  });

  test('decoding round-trips Unicode, emoji and whitespace', () => {
    for (const text of samples) {
      const ids = tokenizer.encode(text).ids;
      assert.equal(tokenizer.decode(ids, { clean_up_tokenization_spaces: false }), text, JSON.stringify(text));
    }
  });

  test('skip_special_tokens drops <|endoftext|> when decoding', () => {
    assert.equal(tokenizer.decode([17250, 0, 50256, 15496], { skip_special_tokens: true }), 'Hi!Hello');
  });
});

describe("the engine's DialogptTokenizer", () => {
  // Replies mix text with <|endoftext|> (50256) wherever the model emits it.
  const replies = () => [[17250, 0, 50256, 15496], [50256], [50256, 50256], [15496, 995, 50256], ...samples.map((text) => tokenizer.encode(text).ids)];
  const reference = (ids: number[]) => (ids.every((id) => id === 50256) ? '' : tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false }));

  test('decodes replies as the full tokenizer does with special tokens skipped', async () => {
    const engineTokenizer = await DialogptTokenizer.create(json, config, 50256);
    for (const ids of replies()) assert.equal(engineTokenizer.decode(ids), reference(ids), JSON.stringify(ids));
  });

  test('decodes the same where an added token is not special (the case that needs a second tokenizer)', async () => {
    const withPlainAdded = { ...json, added_tokens: [...json.added_tokens, { ...json.added_tokens[0], id: 15496, content: 'Hello', special: false }] };
    const engineTokenizer = await DialogptTokenizer.create(withPlainAdded, config, 50256);
    for (const ids of replies()) assert.equal(engineTokenizer.decode(ids), reference(ids), JSON.stringify(ids));
  });

  test('encodes a typed <|endoftext|> as plain text, never as the eos id', async () => {
    const ids = (await DialogptTokenizer.create(json, config, 50256)).encodeText('a <|endoftext|> b');
    assert.ok(!ids.includes(50256), String(ids));
    assert.equal(tokenizer.decode(ids), 'a <|endoftext|> b');
  });
});
