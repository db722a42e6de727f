// GPT-2 byte-level BPE through @huggingface/tokenizers, with one twist for chat: what a user types
// is plain text. A typed "<|endoftext|>" must not become the eos token and end the turn early, so
// user text is encoded by a copy of the tokenizer that knows no special tokens.
import { Tokenizer } from '@huggingface/tokenizers';

type TokenizerJson = { added_tokens?: { content: string; id: number; special?: boolean }[] } & Record<string, unknown>;

export class DialogptTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly plainTextTokenizer: Tokenizer;

  constructor(
    tokenizerJson: TokenizerJson,
    tokenizerConfig: Record<string, unknown>,
    readonly eosTokenId: number,
  ) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.plainTextTokenizer = new Tokenizer({ ...tokenizerJson, added_tokens: [] }, tokenizerConfig);
  }

  /** Token ids of user text, special-token strings included as ordinary text. */
  encodeText(text: string): number[] {
    return this.plainTextTokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[]): string {
    if (ids.length === 0) return ''; // the library refuses an empty list
    // No space clean-up (" ?" → "?"): streamed deltas must add up to the decoded whole.
    return this.tokenizer.decode(ids as number[], { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  }
}
