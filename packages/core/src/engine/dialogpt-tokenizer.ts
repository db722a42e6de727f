// GPT-2 byte-level BPE through @huggingface/tokenizers, with one twist for chat: what a user types
// is plain text. A typed "<|endoftext|>" must not become the eos token and end the turn early, so
// user text is encoded by a copy of the tokenizer that knows no special tokens.
import type { Tokenizer } from '@huggingface/tokenizers';
import { loadTokenizers } from './tokenizers-loader.js';

type AddedToken = { content: string; id: number; special?: boolean };
type TokenizerJson = { added_tokens?: AddedToken[]; model?: { vocab?: Record<string, number> } } & Record<string, unknown>;

export class DialogptTokenizer {
  private readonly plainTextTokenizer: Tokenizer;
  /** Decodes replies: the plain-text tokenizer itself where it can (see the constructor). */
  private readonly replyTokenizer: Tokenizer;
  /** Ids dropped before decoding when the plain-text tokenizer decodes (it knows no special tokens). */
  private readonly specialIds: ReadonlySet<number>;

  /** Imports the tokenizer library (a file beside the engine worker, in its bundle) and builds the tokenizer. */
  static async create(tokenizerJson: TokenizerJson, tokenizerConfig: Record<string, unknown>, eosTokenId: number): Promise<DialogptTokenizer> {
    const { Tokenizer } = await loadTokenizers();
    return new DialogptTokenizer(Tokenizer, tokenizerJson, tokenizerConfig, eosTokenId);
  }

  private constructor(
    TokenizerClass: typeof Tokenizer,
    tokenizerJson: TokenizerJson,
    tokenizerConfig: Record<string, unknown>,
    readonly eosTokenId: number,
  ) {
    this.plainTextTokenizer = new TokenizerClass({ ...tokenizerJson, added_tokens: [] }, tokenizerConfig);
    // Building a tokenizer costs hundreds of milliseconds of a load (GPT-2's 50k merges). Decoding
    // needs the added tokens only to skip the special ones, so when every added token is a special
    // token the vocabulary already holds (GPT-2, DialoGPT: <|endoftext|>), dropping their ids and
    // decoding with the plain-text tokenizer gives the same text, and one tokenizer is built.
    const added = tokenizerJson.added_tokens ?? [];
    const vocab = tokenizerJson.model?.vocab;
    const onePlainTokenizer = added.every((token) => token.special && vocab?.[token.content] === token.id);
    this.replyTokenizer = onePlainTokenizer ? this.plainTextTokenizer : new TokenizerClass(tokenizerJson, tokenizerConfig);
    this.specialIds = new Set(onePlainTokenizer ? added.map((token) => token.id) : []);
  }

  /** Token ids of user text, special-token strings included as ordinary text. */
  encodeText(text: string): number[] {
    return this.plainTextTokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[]): string {
    const kept = this.specialIds.size ? ids.filter((id) => !this.specialIds.has(id)) : (ids as number[]);
    if (kept.length === 0) return ''; // the library refuses an empty list
    // No space clean-up (" ?" → "?"): streamed deltas must add up to the decoded whole.
    return this.replyTokenizer.decode(kept, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  }
}
