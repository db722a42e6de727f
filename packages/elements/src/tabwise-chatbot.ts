import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ChatMessage, DeviceRequest, DtypeRequest, GenerationOptions, TurnStats } from '@tabwise/core';
import { ChatController } from './chat-controller.js';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { formatDuration, formatMegabytes, formatRate, percentOf } from './format.js';
import { arrowDownIcon, chipIcon, clearIcon, retryIcon, sendIcon, stopIcon } from './icons.js';
import {
  effectiveGeneration,
  generationAttributes,
  generationOptionError,
  loadAttributes,
  loadOptionError,
  type GenerationProperty,
  type LoadProperty,
} from './option-attributes.js';
import { chatbotStyles } from './tabwise-chatbot-styles.js';
import { themeStyles } from './theme-styles.js';

/** Closer than this to the bottom counts as "at the bottom": new text keeps it in view. */
const stickyScrollPx = 32;

/** Starters shown in an empty conversation. */
const suggestions = ['Hello! How are you today?', 'What do you like to do for fun?', 'Tell me about your favourite book.'];

/** A message as the list renders it; the reply being generated carries `streaming`. */
interface ShownMessage extends ChatMessage {
  streaming?: boolean;
}

/**
 * A complete chat with DialoGPT that runs in this tab: the model loads into a Web Worker (WebGPU
 * when available, else WASM), replies stream in token by token, and the conversation is this
 * tab's session state — another tab, or a reload, starts fresh.
 *
 * Enter sends, Shift+Enter starts a new line, Escape stops a reply. Model output is always shown
 * as text, never parsed as HTML or markdown.
 *
 * @fires {TabwiseReadyEvent} tabwise-ready - The model loaded; `event.info` holds `model`, `device`, `deviceReason`, `dtype`.
 * @fires {TabwiseTokenEvent} tabwise-token - A piece of the reply streamed in: `event.delta`, and the reply so far in `event.text`.
 * @fires {TabwiseMessageEvent} tabwise-message - A message joined the conversation: `event.message` (`role`, `content`, `interrupted`), and `event.stats` for a finished reply.
 * @fires {TabwiseErrorEvent} tabwise-error - Something failed: `event.error`, `event.source` ('attribute', 'load' or 'send'), `event.attribute` for a refused attribute value.
 *
 * @csspart frame - The outer box.
 * @csspart header - The top bar: name, model and device badge.
 * @csspart title - The name shown in the header (the `label` attribute).
 * @csspart badge - The device badge (WebGPU or WASM, and dtype).
 * @csspart fallback - Why the device is not the one asked for, under the model name.
 * @csspart progress - The download progress card shown while the model loads.
 * @csspart load-error - The panel shown when the model failed to load, with its Try again button.
 * @csspart log - The scrolling list of messages.
 * @csspart message - Every message; also named `user` or `assistant` (select one with `::part(message user)`).
 * @csspart bubble - The text box of a message.
 * @csspart error - An inline error (refused attribute value, failed reply).
 * @csspart composer - The box holding the textarea and the buttons.
 * @csspart input - The message textarea.
 * @csspart send - The Send button.
 * @csspart stop - The Stop button.
 * @csspart retry - The Retry button.
 * @csspart clear - The Clear button.
 * @csspart footer - The bottom line: keyboard hint and the last reply's speed.
 *
 * @cssprop [--tabwise-accent=#5b5bd6] - Accent colour: Send, user messages, focus rings, progress.
 * @cssprop [--tabwise-accent-fg=#ffffff] - Text on the accent colour.
 * @cssprop [--tabwise-bg=#ffffff] - Background.
 * @cssprop [--tabwise-surface=#f5f6f8] - Raised surfaces: bot messages, badges, cards.
 * @cssprop [--tabwise-fg=#1b1f29] - Text colour.
 * @cssprop [--tabwise-muted=#5f6878] - Secondary text.
 * @cssprop [--tabwise-border=#e3e6eb] - Borders.
 * @cssprop [--tabwise-danger=#c8313e] - Errors and the Stop button.
 * @cssprop [--tabwise-danger-bg=#fdecee] - Background of errors.
 * @cssprop [--tabwise-success=#1f8a5b] - The ready dot in the badge.
 * @cssprop [--tabwise-user-bg=var(--tabwise-accent)] - Background of the user's messages.
 * @cssprop [--tabwise-user-fg=var(--tabwise-accent-fg)] - Text of the user's messages.
 * @cssprop [--tabwise-bot-bg=var(--tabwise-surface)] - Background of the model's messages.
 * @cssprop [--tabwise-bot-fg=var(--tabwise-fg)] - Text of the model's messages.
 * @cssprop [--tabwise-radius=14px] - Corner radius of the frame.
 * @cssprop --tabwise-font - Font family.
 * @cssprop --tabwise-shadow - Box shadow of the frame.
 */
@customElement('tabwise-chatbot')
export class TabwiseChatbot extends LitElement {
  static override styles = [themeStyles, chatbotStyles];

  /** Hub id (`org/name`, e.g. `onnx-community/DialoGPT-small-ONNX`) or base URL of a Hugging Face–layout ONNX model. */
  @property() model = 'onnx-community/DialoGPT-small-ONNX';

  /** Hub revision: a branch, tag or commit. */
  @property() revision = 'main';

  /** Where the model runs: `auto` (WebGPU when it works, else WASM), `webgpu` or `wasm`. */
  @property() device: DeviceRequest = 'auto';

  /** Weights to load: `auto`, `fp32`, `fp16`, `q8` or `q4`. */
  @property() dtype: DtypeRequest = 'auto';

  /** Most tokens per reply, an integer in [1, 1024]; default 64. */
  @property({ attribute: 'max-new-tokens', type: Number }) maxNewTokens?: number;

  /** Sampling temperature, >= 0 (0 is greedy); used with `do-sample`. Default 1. */
  @property({ type: Number }) temperature?: number;

  /** Sample only from the k most likely tokens, an integer >= 0 (0 = off); used with `do-sample`. */
  @property({ attribute: 'top-k', type: Number }) topK?: number;

  /** Nucleus sampling probability in (0, 1] (1 = off); used with `do-sample`. */
  @property({ attribute: 'top-p', type: Number }) topP?: number;

  /** Sample replies at random (with temperature, top-k, top-p) instead of taking the most likely token. */
  @property({ attribute: 'do-sample', type: Boolean }) doSample = false;

  /** Placeholder text of the message box. */
  @property() placeholder = 'Message DialoGPT…';

  /** Name shown in the header and used as the chat's accessible name. */
  @property() label = 'DialoGPT';

  private readonly chat = new ChatController(this);

  /** The last valid value of each option attribute; refused values never reach these. */
  private readonly generation: GenerationOptions = {};
  private readonly loadOptions: Record<LoadProperty, string> = { device: 'auto', dtype: 'auto' };

  /** Refused attribute values, by attribute name. */
  @state() private attributeErrors: ReadonlyMap<string, string> = new Map();
  @state() private inputError = '';
  @state() private showJump = false;
  private stickToBottom = true;
  /** Where auto-scroll last put the list. */
  private autoScrollTop?: number;
  /** The list's scrollTop at its last scroll event, to tell scrolling up from down. */
  private lastScrollTop = 0;

  @query('textarea') private textarea!: HTMLTextAreaElement;
  @query('.log') private log!: HTMLElement;
  @query('form') private form!: HTMLFormElement;

  /** This tab's conversation: finished turns, a stopped reply marked `interrupted`. */
  get history(): ChatMessage[] {
    return this.chat.messages.map((message) => ({ ...message }));
  }

  /** Timings of the last reply that finished. */
  get stats(): TurnStats | undefined {
    return this.chat.stats;
  }

  /** True once the model is loaded and until it is unloaded. */
  get ready(): boolean {
    return this.chat.status === 'ready';
  }

  /** True while a reply is being generated. */
  get generating(): boolean {
    return this.chat.generating;
  }

  /** What the model runs on once loaded: `webgpu` or `wasm`. */
  get activeDevice(): 'webgpu' | 'wasm' | undefined {
    return this.chat.chat?.device;
  }

  /** Sends `text` (or what is typed in the message box) and resolves when the reply is over. */
  async send(text?: string): Promise<void> {
    const message = text ?? this.textarea?.value ?? '';
    if (message.trim() === '') {
      this.inputError = 'Type a message first.';
      return;
    }
    if (!this.ready || this.generating) return;
    if (text === undefined && this.textarea) this.textarea.value = '';
    this.inputError = '';
    this.follow();
    await this.chat.send(message, { ...this.generation });
  }

  /** Stops the reply being generated; what came so far stays in the conversation. */
  stop(): void {
    this.chat.stop();
  }

  /** Empties this tab's conversation; the next reply starts from nothing. */
  clear(): Promise<void> {
    this.inputError = '';
    this.follow();
    return this.chat.clear();
  }

  /** Sends the last message again (after a failure, or for another reply). */
  retry(): Promise<void> {
    this.follow();
    return this.chat.retry({ ...this.generation });
  }

  /** Loads the model again, e.g. after it failed to load. */
  reload(): Promise<void> {
    return this.chat.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    for (const [property, attribute] of Object.entries(generationAttributes) as [GenerationProperty, string][]) {
      if (!changed.has(property)) continue;
      const value = this[property] ?? undefined;
      const error = generationOptionError(property, value);
      if (error) this.refuse(attribute, error);
      else {
        (this.generation as Record<string, unknown>)[property] = value;
        this.accept(attribute);
      }
    }
    for (const property of loadAttributes) {
      if (!changed.has(property)) continue;
      const error = loadOptionError(property, this[property]);
      if (error) this.refuse(property, error);
      else {
        this.loadOptions[property] = this[property] ?? 'auto';
        this.accept(property);
      }
    }
    if (changed.has('model') || changed.has('revision') || changed.has('device') || changed.has('dtype')) {
      this.chat.use({
        model: this.model,
        revision: this.revision,
        device: this.loadOptions.device as DeviceRequest,
        dtype: this.loadOptions.dtype as DtypeRequest,
      });
    }
  }

  protected override updated(): void {
    const log = this.log;
    if (!log || !this.stickToBottom) return;
    // Scroll events arrive a frame late; tokens may come faster. A scrollTop above where we last
    // put it means the user scrolled up in between: stop following instead of pulling them back.
    if (this.autoScrollTop !== undefined && log.scrollTop < this.autoScrollTop - 1 && distanceToEnd(log) >= 1) {
      this.stopFollowing();
      return;
    }
    log.scrollTop = log.scrollHeight;
    this.autoScrollTop = log.scrollTop;
  }

  /** Shows why `attribute`'s value was not applied and tells listeners; the last valid value stays. */
  private refuse(attribute: string, error: Error): void {
    const written = this.getAttribute(attribute);
    const kept = this.keptValue(attribute);
    const shown = written === null ? '' : `${attribute}="${written}": `;
    const errors = new Map(this.attributeErrors);
    errors.set(attribute, `${shown}${error.message}. Using ${kept}.`);
    this.attributeErrors = errors;
    this.report(new TabwiseErrorEvent(error, 'attribute', attribute));
  }

  /** Dispatches a tabwise-error (built by the caller, so manifest tools read no name from its arguments). */
  private report(event: TabwiseErrorEvent): void {
    this.dispatchEvent(event);
  }

  private accept(attribute: string): void {
    if (!this.attributeErrors.has(attribute)) return;
    const errors = new Map(this.attributeErrors);
    errors.delete(attribute);
    this.attributeErrors = errors;
  }

  private keptValue(attribute: string): string {
    if (attribute === 'device' || attribute === 'dtype') return this.loadOptions[attribute];
    const property = (Object.keys(generationAttributes) as GenerationProperty[]).find((key) => generationAttributes[key] === attribute);
    return property ? String(effectiveGeneration(this.generation)[property]) : 'the previous value';
  }

  protected override render(): TemplateResult {
    const chat = this.chat;
    const ready = chat.status === 'ready';
    const generating = chat.generating;
    return html`
      <section class="frame" part="frame" aria-label=${this.label}>
        <header part="header">
          <div class="identity">
            <span class="avatar" aria-hidden="true">${chipIcon}</span>
            <div class="names">
              <h2 part="title">${this.label}</h2>
              ${chat.fallbackReason
                ? html`<p class="fallback" part="fallback" title=${chat.fallbackReason}>Fell back to WASM: ${chat.fallbackReason}</p>`
                : html`<p class="model" title=${this.model}>${this.model}</p>`}
            </div>
          </div>
          <div class="badges">${this.renderBadge()}</div>
        </header>

        <div class="log-wrap">
          <ol class="log" part="log" aria-label="Conversation" @scroll=${this.onScroll} @wheel=${this.onWheel}>
            ${this.renderLogContent()}
          </ol>
          ${this.showJump
            ? html`<button type="button" class="jump" @click=${this.jumpToLatest}>${arrowDownIcon}Latest</button>`
            : nothing}
        </div>

        <div class="errors">${this.renderErrors()}</div>

        <form part="composer" @submit=${this.onSubmit}>
          <label class="visually-hidden" for="message">Message</label>
          <textarea
            id="message"
            part="input"
            rows="1"
            placeholder=${this.placeholder}
            aria-describedby="keys"
            aria-invalid=${this.inputError ? 'true' : 'false'}
            enterkeyhint="send"
            @keydown=${this.onKeydown}
            @input=${this.onInput}
          ></textarea>
          <div class="actions">
            <button type="button" part="stop" class="danger" title="Stop the reply (Esc)" ?disabled=${!generating} @click=${this.onStop}>
              ${stopIcon}<span class="label">Stop</span>
            </button>
            <button type="button" part="retry" title="Send the last message again" ?disabled=${!ready || generating || chat.retryText === undefined} @click=${this.onRetry}>
              ${retryIcon}<span class="label">Retry</span>
            </button>
            <button type="button" part="clear" title="Forget this conversation" ?disabled=${!ready || (chat.messages.length === 0 && !generating)} @click=${this.onClear}>
              ${clearIcon}<span class="label">Clear</span>
            </button>
            <span class="spacer"></span>
            <button type="submit" part="send" class="primary" ?disabled=${!ready || generating}>${sendIcon}<span class="label">Send</span></button>
          </div>
        </form>

        <footer part="footer">
          <span id="keys" class="keys"><kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line · <kbd>Esc</kbd> to stop</span>
          ${this.renderStats()}
        </footer>
      </section>
    `;
  }

  private renderBadge(): TemplateResult {
    const chat = this.chat;
    if (chat.status === 'ready' && chat.chat) {
      const { device, dtype } = chat.chat;
      const reason = chat.fallbackReason;
      return html`<span
        class="badge ready ${reason ? 'fell-back' : ''}"
        part="badge"
        title=${reason ? `Running on ${deviceName(device)}: ${reason}` : `Running on ${deviceName(device)}`}
        ><span class="dot"></span>${deviceName(device)} · ${dtype}</span
      >`;
    }
    if (chat.status === 'failed') return html`<span class="badge failed" part="badge"><span class="dot"></span>Not loaded</span>`;
    return html`<span class="badge loading" part="badge"><span class="dot"></span>Loading</span>`;
  }

  private renderLogContent(): TemplateResult | TemplateResult[] {
    const chat = this.chat;
    if (chat.status === 'failed') return html`<li class="placeholder">${this.renderLoadError()}</li>`;
    if (chat.status !== 'ready') return html`<li class="placeholder">${this.renderProgress()}</li>`;
    const shown: ShownMessage[] = [...chat.messages];
    if (chat.pending) shown.push({ role: 'user', content: chat.pending.user }, { role: 'assistant', content: chat.pending.reply, streaming: true });
    if (shown.length === 0) return html`<li class="placeholder">${this.renderWelcome()}</li>`;
    return shown.map((message) => this.renderMessage(message));
  }

  private renderMessage(message: ShownMessage): TemplateResult {
    const user = message.role === 'user';
    const speaker = user ? 'You' : this.label;
    // Text bindings only: model output and user input are never parsed as HTML.
    const body = message.content
      ? html`<span class=${message.streaming ? 'cursor' : ''}>${message.content}</span>`
      : message.streaming
        ? html`<span class="typing" aria-hidden="true"><span></span><span></span><span></span></span
            ><span class="visually-hidden">${this.label} is typing</span>`
        : html`<span class="empty-reply">(no reply)</span>`;
    return html`<li
      class="message ${message.role}"
      part="message ${message.role}"
      aria-live=${user ? 'off' : 'polite'}
      aria-busy=${message.streaming ? 'true' : 'false'}
    >
      <span class="visually-hidden">${speaker}:</span>
      <div class="bubble" part="bubble">${body}</div>
      ${message.interrupted ? html`<span class="tag">Stopped</span>` : nothing}
    </li>`;
  }

  private renderWelcome(): TemplateResult {
    return html`
      <span class="avatar" aria-hidden="true">${chipIcon}</span>
      <h3>Start a conversation</h3>
      <p>${this.label} runs entirely in this tab. Your messages never leave your device, and each tab keeps its own conversation.</p>
      <div class="suggestions">
        ${suggestions.map((text) => html`<button type="button" @click=${() => this.onSuggestion(text)}>${text}</button>`)}
      </div>
    `;
  }

  private renderProgress(): TemplateResult {
    const files = [...this.chat.files.values()];
    const unfinished = files.filter((file) => file.total === 0 || file.loaded < file.total);
    // The biggest file still coming in is the one worth watching (the ONNX graph, usually).
    const current = unfinished.sort((a, b) => b.total - a.total)[0];
    const done = files.length > 0 && !current;
    const percent = current ? percentOf(current.loaded, current.total) : done ? 100 : 0;
    const known = current ? current.total > 0 : done;
    const label = current ? `Downloading ${current.file}` : done ? 'Starting the model' : 'Starting the engine';
    return html`
      <div class="progress-card" part="progress">
        <div class="file" title=${current?.file ?? ''}>${current ? current.file : done ? 'Preparing the model…' : 'Starting the engine…'}</div>
        <!-- A native <progress>: no style attribute to set, so it works under a strict CSP. -->
        <progress
          max="100"
          value=${known && !done ? percent : nothing}
          aria-label=${label}
          aria-valuetext=${current ? `${formatMegabytes(current.loaded)} of ${current.total ? formatMegabytes(current.total) : 'unknown'}` : label}
        ></progress>
        <div class="numbers">
          <span>${current
            ? current.total
              ? `${formatMegabytes(current.loaded)} / ${formatMegabytes(current.total)}${current.fromCache ? ' · from cache' : ''}`
              : formatMegabytes(current.loaded)
            : `${files.length} file${files.length === 1 ? '' : 's'} loaded`}</span>
          <span>${known ? `${percent}%` : ''}</span>
        </div>
      </div>
      <p>Loading ${this.model}. The files are cached, so the next visit starts faster.</p>
    `;
  }

  private renderLoadError(): TemplateResult {
    const error = this.chat.loadError;
    return html`
      <div class="alert load-error" part="load-error error" role="alert">
        <strong>The model could not be loaded.</strong>
        <p class="details">${error ? `${error.name}: ${error.message}` : ''}</p>
        <button type="button" @click=${this.onReload}>${retryIcon}Try again</button>
      </div>
    `;
  }

  private renderErrors(): TemplateResult[] {
    const messages = [...this.attributeErrors.values()];
    const sendError = this.chat.sendError?.error;
    if (sendError) {
      const hint = sendError.name === 'WorkerCrashedError' ? ' Press Retry to restart the model and send it again.' : ' Press Retry to send it again.';
      messages.push(`The reply failed (${sendError.name}: ${sendError.message}).${hint}`);
    }
    if (this.inputError) messages.push(this.inputError);
    return messages.map((message) => html`<p class="alert" part="error" role="alert">${message}</p>`);
  }

  private renderStats(): TemplateResult {
    const stats = this.chat.stats;
    if (!stats) return html`<span class="stats"></span>`;
    return html`<span class="stats" aria-label="Last reply">
      <span><strong>${formatRate(stats.decodeTokensPerSecond)}</strong></span>
      <span><strong>${formatDuration(stats.timeToFirstTokenMs)}</strong> to first token</span>
      ${this.chat.notice ? html`<span title=${this.chat.notice}>context trimmed</span>` : nothing}
    </span>`;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.send();
    this.textarea.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (this.ready && !this.generating) this.form.requestSubmit();
    } else if (event.key === 'Escape' && this.generating) {
      event.preventDefault();
      this.stop();
    }
  }

  private onInput(): void {
    if (this.inputError && this.textarea.value.trim()) this.inputError = '';
  }

  private onStop(): void {
    this.stop();
    this.textarea.focus(); // the Stop button is about to be disabled
  }

  private onRetry(): void {
    void this.retry();
    this.textarea.focus();
  }

  private onClear(): void {
    void this.clear();
    this.textarea.focus();
  }

  private onReload(): void {
    void this.reload();
  }

  private onSuggestion(text: string): void {
    void this.send(text);
    this.textarea.focus();
  }

  private onScroll(): void {
    const log = this.log;
    // A wheel or touch scroll is animated: its first frames may still lie within stickyScrollPx of
    // the end. Moving up at all means the user left the end, so never re-follow on the way up.
    const movedUp = log.scrollTop < this.lastScrollTop - 1;
    this.lastScrollTop = log.scrollTop;
    if (movedUp && distanceToEnd(log) >= 1) this.stopFollowing();
    else if (distanceToEnd(log) < stickyScrollPx) this.follow();
    else this.stopFollowing();
  }

  private onWheel(event: WheelEvent): void {
    if (event.deltaY < 0) this.stopFollowing();
  }

  private stopFollowing(): void {
    this.stickToBottom = false;
    this.autoScrollTop = undefined;
    this.showJump = true;
  }

  private follow(): void {
    this.stickToBottom = true;
    this.showJump = false;
  }

  private jumpToLatest(): void {
    this.follow();
    this.log.scrollTop = this.log.scrollHeight;
    this.autoScrollTop = this.log.scrollTop;
    this.textarea.focus();
  }
}

/** How far the end of a scrolled list is below its visible part, in pixels. */
function distanceToEnd(list: HTMLElement): number {
  return list.scrollHeight - list.scrollTop - list.clientHeight;
}

function deviceName(device: 'webgpu' | 'wasm'): string {
  return device === 'webgpu' ? 'WebGPU' : 'WASM';
}

declare global {
  interface HTMLElementTagNameMap {
    'tabwise-chatbot': TabwiseChatbot;
  }
}
