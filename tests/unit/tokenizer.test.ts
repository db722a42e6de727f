// The generated GPT-2 tokenizer files, loaded by @huggingface/tokenizers as the engine loads them.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import { writeTokenizerFiles } from '../../packages/core/src/model-maker/tokenizer-files.ts';

// gpt-3-encoder is a port of OpenAI's own GPT-2 encoder: a second opinion on every id.
const { encode: openaiEncode } = createRequire(import.meta.url)('gpt-3-encoder') as { encode(text: string): number[] };

let dir = '';
let tokenizer: Tokenizer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabwise-tokenizer-'));
  await writeTokenizerFiles(dir);
  const json = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
  const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'));
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

  const samples = [
    'Hello, how are you doing today?',
    "I'm fine, thanks. What's up?",
    'héllo wörld — naïve café',
    '日本語のテキスト',
    'emoji 👋🏽 🇫🇷 👨‍👩‍👧 done',
    '  leading spaces and\ttabs\nnew lines  \n\n',
    'numbers 1234567 3.14159 and symbols #@$%^&*()',
  ];

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
