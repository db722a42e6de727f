/**
 * Incremental detokenization for streaming replies. GPT-2's byte-level BPE can split one UTF-8
 * character across tokens, and decoding such a prefix yields U+FFFD where the character will be.
 * So the streamer holds back a trailing run of U+FFFD until a later token completes it (or
 * flush() ends the reply, which lets a genuine U+FFFD out).
 *
 * It decodes a window of recent tokens rather than the whole reply each time (constant work per
 * token), with the previous window as left context for decoders that treat a sequence's first
 * token specially (a SentencePiece leading space). A window closes only where its text ends on a
 * complete character, so the concatenated deltas equal decode(allIds) for any decoder whose output
 * for a sequence extends its output for each prefix — true of GPT-2's decoder without
 * clean_up_tokenization_spaces.
 */

const replacementCharacter = '\uFFFD';

export class TextStreamer {
  private readonly decode: (ids: number[]) => string;
  private ids: number[] = [];
  /** ids[contextStart, windowStart) are context only: already emitted, decoded as `contextText`. */
  private contextStart = 0;
  private windowStart = 0;
  private contextText = '';
  /** Characters of the current window's text already emitted. */
  private emitted = 0;

  constructor(decode: (ids: number[]) => string) {
    this.decode = decode;
  }

  /** Adds one token; returns the text it completes, possibly '' (then later calls catch up). */
  push(id: number): string {
    this.ids.push(id);
    const text = this.windowText();
    let ready = text.length;
    while (ready > 0 && text[ready - 1] === replacementCharacter) ready--;
    const delta = ready > this.emitted ? text.slice(this.emitted, ready) : '';
    this.emitted = Math.max(this.emitted, ready);
    if (ready === text.length) this.closeWindow();
    return delta;
  }

  /** Returns whatever is still held back and starts over for the next reply. */
  flush(): string {
    const delta = this.windowText().slice(this.emitted);
    this.ids = [];
    this.contextStart = 0;
    this.windowStart = 0;
    this.contextText = '';
    this.emitted = 0;
    return delta;
  }

  /** The current window's text: decoded with its context, minus the context's own text. */
  private windowText(): string {
    return this.decode(this.ids.slice(this.contextStart)).slice(this.contextText.length);
  }

  /** The window ended on a whole character: it becomes the context of the next one. */
  private closeWindow(): void {
    this.contextStart = this.windowStart;
    this.windowStart = this.ids.length;
    this.contextText = this.decode(this.ids.slice(this.contextStart));
    this.emitted = 0;
    // Old ids are no longer decoded; drop them so a long reply does not keep growing this array.
    if (this.contextStart > 0) {
      this.ids = this.ids.slice(this.contextStart);
      this.windowStart -= this.contextStart;
      this.contextStart = 0;
    }
  }
}
