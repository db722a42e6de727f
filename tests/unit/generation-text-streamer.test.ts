import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import gpt2 from 'gpt-3-encoder';
import { TextStreamer } from '../../packages/core/src/generation/text-streamer.ts';

/**
 * A byte-level "tokenizer" like GPT-2's: each id stands for a byte string, and decoding joins the
 * bytes and runs UTF-8 decoding, so an id may hold part of a character.
 */
class ByteVocabulary {
  private readonly tokens: Uint8Array[] = [];
  readonly decode = (ids: number[]): string =>
    new TextDecoder().decode(Uint8Array.from(ids.flatMap((id) => [...this.tokens[id]])));

  /** Ids for these byte chunks (strings are UTF-8 encoded; arrays are raw bytes). */
  ids(...chunks: Array<string | number[]>): number[] {
    return chunks.map((chunk) => this.tokens.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : Uint8Array.from(chunk)) - 1);
  }
}

function stream(decode: (ids: number[]) => string, ids: number[]): { deltas: string[]; tail: string } {
  const streamer = new TextStreamer(decode);
  const deltas = ids.map((id) => streamer.push(id));
  return { deltas, tail: streamer.flush() };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];

describe('TextStreamer', () => {
  it('emits ASCII tokens as soon as they arrive', () => {
    const vocabulary = new ByteVocabulary();
    const { deltas, tail } = stream(vocabulary.decode, vocabulary.ids('Hello', ',', ' world'));
    assert.deepEqual(deltas, ['Hello', ',', ' world']);
    assert.equal(tail, '');
  });

  it('holds a character split over several tokens until it is whole', () => {
    const vocabulary = new ByteVocabulary();
    const euro = utf8('€'); // 3 bytes over 2 tokens
    const emoji = utf8('😀'); // 4 bytes over 4 tokens
    const cjk = utf8('世'); // 3 bytes over 2 tokens
    const ids = vocabulary.ids(
      'a', euro.slice(0, 2), euro.slice(2),
      ' ', [emoji[0]], [emoji[1]], [emoji[2]], [emoji[3]],
      [...utf8('b'), ...cjk.slice(0, 1)], [...cjk.slice(1), ...utf8('c')],
    );
    const { deltas, tail } = stream(vocabulary.decode, ids);
    assert.deepEqual(deltas, ['a', '', '€', ' ', '', '', '', '😀', 'b', '世c']);
    assert.equal(tail, '');
  });

  it('emits the text before a partial character in the same token', () => {
    const vocabulary = new ByteVocabulary();
    const emoji = utf8('🦜');
    const { deltas } = stream(vocabulary.decode, vocabulary.ids([...utf8(' hi '), ...emoji.slice(0, 2)], emoji.slice(2)));
    assert.deepEqual(deltas, [' hi ', '🦜']);
  });

  it('lets a genuine U+FFFD out once more text follows, or at flush', () => {
    const vocabulary = new ByteVocabulary();
    const [lone, x, replacement, broken] = vocabulary.ids([0x80], 'x', '\uFFFD', [0xe2, 0x82]);
    assert.deepEqual(stream(vocabulary.decode, [lone, x]), { deltas: ['', '\uFFFDx'], tail: '' });
    assert.deepEqual(stream(vocabulary.decode, [x, replacement]), { deltas: ['x', ''], tail: '\uFFFD' });
    // an unfinished character at the very end comes out as U+FFFD, as decode() gives it
    assert.deepEqual(stream(vocabulary.decode, [x, broken]), { deltas: ['x', ''], tail: '\uFFFD' });
    assert.deepEqual(stream(vocabulary.decode, [broken, x]), { deltas: ['', '\uFFFDx'], tail: '' });
  });

  it('starts over after flush', () => {
    const vocabulary = new ByteVocabulary();
    const [partial, rest, y] = vocabulary.ids([0xe4, 0xb8], [0x96], 'y');
    const streamer = new TextStreamer(vocabulary.decode);
    assert.equal(streamer.push(partial), '');
    assert.equal(streamer.flush(), '\uFFFD');
    assert.equal(streamer.push(rest), '');
    assert.equal(streamer.push(y), '\uFFFDy');
  });

  it('never splits a character and adds up to decode(all) on random splits', () => {
    let state = 2024;
    const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const alphabet = ['a', ' ', 'Z', '\n', 'é', 'ß', '€', '世', '界', '😀', '🧬', '👍🏽'];
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 25) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const bytes = utf8(text);
      const chunks: number[][] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 4);
        chunks.push(bytes.slice(at, at + size));
        at += size;
      }
      const vocabulary = new ByteVocabulary();
      const { deltas, tail } = stream(vocabulary.decode, vocabulary.ids(...chunks));
      for (const delta of deltas) {
        assert.ok(!delta.includes('\uFFFD'), `delta ${JSON.stringify(delta)} of ${JSON.stringify(text)}`);
        assert.ok(!LONE_SURROGATE.test(delta), 'no lone surrogate');
      }
      assert.equal(tail, '');
      assert.equal(deltas.join(''), text);
    }
  });

  it('adds up to decode(all) even on random, partly invalid bytes', () => {
    let state = 77;
    const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const interesting = [0x41, 0x20, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0xff];
    for (let trial = 0; trial < 500; trial++) {
      const chunks = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        Array.from({ length: 1 + Math.floor(random() * 3) }, () => interesting[Math.floor(random() * interesting.length)]),
      );
      const vocabulary = new ByteVocabulary();
      const ids = vocabulary.ids(...chunks);
      const { deltas, tail } = stream(vocabulary.decode, ids);
      assert.equal(deltas.join('') + tail, vocabulary.decode(ids), `bytes ${JSON.stringify(chunks)}`);
    }
  });

  it('streams real GPT-2 tokens (emoji and CJK split across tokens) without a broken character', () => {
    const text = 'Café ☕ costs 3€ — 世界 says 🦜🧬 hi! 👍🏽\nnew line';
    const ids = gpt2.encode(text);
    assert.ok(ids.some((id) => gpt2.decode([id]).includes('\uFFFD')), 'some GPT-2 token should hold part of a character');
    const { deltas, tail } = stream(gpt2.decode, ids);
    for (const delta of deltas) assert.ok(!delta.includes('\uFFFD'), `delta ${JSON.stringify(delta)}`);
    assert.equal(deltas.join('') + tail, text);
    assert.equal(tail, '');
  });
});
