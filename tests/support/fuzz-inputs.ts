// Seeded generators of hostile inputs for the fuzz tests: same seed, same inputs, so a failure
// can be replayed.
import { createSeededRandom } from '../../packages/core/src/generation/random-source.ts';

export type Random = () => number;

export function seededRandom(seed: number): Random {
  return createSeededRandom(seed);
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const fragments = [
  '', ' ', '\n', '\t', '\r\n', '\u0000', '\u0007', '\u001b[31m', '\u200b', '\ufeff', '\ud800', '\udfff', '\ud83d',
  '😀', '👩‍👩‍👧', '中文', 'é', 'e\u0301', '<|endoftext|>', '<|endoftext', '|>', '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>', '**bold** _it_ `code`', '[link](javascript:alert(1))', '{{7*7}}', '${7*7}', 'hello',
  'How are you?', '   padded   ', '\\u0000', '%00', '../../etc/passwd', 'null', 'undefined', '0', '-1',
];

/** A message: mostly short mixes of fragments, sometimes huge. */
export function fuzzMessage(random: Random): string {
  const roll = random();
  if (roll < 0.005) return pick(random, fragments).repeat(100_000).slice(0, 100_000) || 'x'.repeat(100_000);
  if (roll < 0.02) return 'word '.repeat(Math.floor(random() * 3000));
  const parts: string[] = [];
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) parts.push(pick(random, fragments));
  return parts.join(pick(random, ['', ' ', '\n']));
}

const absurdNumbers = [0, -1, 1, 2, 0.5, 1e-9, 1e9, Number.NaN, Infinity, -Infinity, 1.5, 1024, 1025, 2 ** 53, -0];
const optionNames = ['maxNewTokens', 'minNewTokens', 'doSample', 'temperature', 'topK', 'topP', 'repetitionPenalty', 'noRepeatNgramSize', 'seed'];

/** Generation options: usually sane and small, often absurd. */
export function fuzzGenerationOptions(random: Random): Record<string, unknown> {
  const options: Record<string, unknown> = { maxNewTokens: 1 + Math.floor(random() * 3) };
  const count = Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const name = random() < 0.1 ? pick(random, ['top_p', 'max_tokens', '__proto__', 'constructor']) : pick(random, optionNames);
    const value = pick(random, [...absurdNumbers, '1', null, true, false, {}, [], undefined] as unknown[]);
    options[name] = name === 'maxNewTokens' && typeof value === 'number' && value > 3 ? 3 : value;
  }
  return options;
}
