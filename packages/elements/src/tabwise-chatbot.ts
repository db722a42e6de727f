import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { defaultModel, type ChatMessage, type Device, type DeviceRequest, type DtypeRequest, type GenerationOptions, type SharedStatus, type ShareMode, type TurnStats } from '@tabwise/core';
import { restoreDefaults } from './attribute-defaults.js';
import { AttributeRefusals } from './attribute-refusals.js';
import { ChatController } from './chat-controller.js';
import { formatDuration, formatRate } from './format.js';
import { arrowDownIcon, chipIcon, clearIcon, retryIcon, sendIcon, stopIcon } from './icons.js';
import {
  effectiveGeneration,
  generationAttributes,
  generationOptionError,
  loadAttributes,
  loadDefaults,
  loadOptionError,
  type GenerationProperty,
  type LoadProperty,
} from './option-attributes.js';
import { renderBadge, renderLoadError, renderShareBadge, renderMessage, renderProgress, renderWelcome, type ShownMessage } from './tabwise-chatbot-parts.js';
import { chatbotComposerStyles } from './tabwise-chatbot-composer-styles.js';
import { chatbotPanelStyles } from './tabwise-chatbot-panel-styles.js';
import { chatbotStyles } from './tabwise-chatbot-styles.js';
import { StickyScrollController } from './sticky-scroll-controller.js';
import { themeStyles } from './theme-styles.js';

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
 * @csspart share-badge - With `share="origin"`: whether this tab hosts the shared model and how many tabs it serves.
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
  static override styles = [themeStyles, chatbotStyles, chatbotPanelStyles, chatbotComposerStyles];

  /** Hub id (`org/name`, e.g. `onnx-community/DialoGPT-small-ONNX`) or base URL of a Hugging Face–layout ONNX model. */
  @property() model = defaultModel;

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

  /**
   * `tab` (default): this tab loads its own model. `origin`: every tab of the site with the same
   * model, revision, device and dtype uses one engine, hosted by one of them; each keeps its own
   * conversation. Falls back to `tab` where it cannot work (the badge's title says why).
   */
  @property() share: ShareMode = 'tab';

  /** Placeholder text of the message box. */
  @property() placeholder = 'Message DialoGPT…';

  /** Name shown in the header and used as the chat's accessible name. */
  @property() label = 'DialoGPT';

  /** Each string attribute's meaning when absent: removing the attribute brings it back. */
  private readonly defaults = { model: this.model, revision: this.revision, placeholder: this.placeholder, label: this.label };
  private readonly chat = new ChatController(this);
  private readonly refusals = new AttributeRefusals(this);
  private readonly autoScroll = new StickyScrollController(this, () => this.log);

  /** The last valid value of each option attribute; refused values never reach these. */
  private readonly generation: GenerationOptions = {};
  private readonly loadOptions: Record<LoadProperty, string> = { ...loadDefaults };

  @state() private inputError = '';

  @query('textarea') private textarea!: HTMLTextAreaElement;
  @query('.log') private log!: HTMLElement;
  @query('form') private form!: HTMLFormElement;

  /** Whether the model is shared with other tabs (`share="origin"`), this tab hosts it, and how many tabs it serves; undefined until loaded. */
  get shared(): SharedStatus | undefined {
    return this.chat.shared;
  }

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
  get activeDevice(): Device | undefined {
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
    this.autoScroll.follow();
    await this.chat.send(message, { ...this.generation });
  }

  /** Stops the reply being generated; what came so far stays in the conversation. */
  stop(): void {
    this.chat.stop();
  }

  /** Empties this tab's conversation; the next reply starts from nothing. */
  clear(): Promise<void> {
    this.inputError = '';
    this.autoScroll.follow();
    return this.chat.clear();
  }

  /** Sends the last message again (after a failure, or for another reply). */
  retry(): Promise<void> {
    this.autoScroll.follow();
    return this.chat.retry({ ...this.generation });
  }

  /** Loads the model again, e.g. after it failed to load. */
  reload(): Promise<void> {
    return this.chat.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    restoreDefaults(this, changed, this.defaults);
    for (const [property, attribute] of Object.entries(generationAttributes) as [GenerationProperty, string][]) {
      if (!changed.has(property)) continue;
      const value = this[property] ?? undefined;
      const error = generationOptionError(property, value);
      if (error) this.refusals.refuse(attribute, error, `Using ${String(effectiveGeneration(this.generation)[property])}.`);
      else {
        (this.generation as Record<string, unknown>)[property] = value;
        this.refusals.accept(attribute);
      }
    }
    for (const property of loadAttributes) {
      if (!changed.has(property)) continue;
      const error = loadOptionError(property, this[property]);
      if (error) this.refusals.refuse(property, error, `Using ${this.loadOptions[property]}.`);
      else {
        this.loadOptions[property] = this[property] ?? loadDefaults[property];
        this.refusals.accept(property);
      }
    }
    if (changed.has('model') || changed.has('revision') || changed.has('device') || changed.has('dtype') || changed.has('share')) {
      this.chat.use({
        model: this.model,
        revision: this.revision,
        device: this.loadOptions.device as DeviceRequest,
        dtype: this.loadOptions.dtype as DtypeRequest,
        share: this.loadOptions.share as ShareMode,
      });
    }
  }

  protected override render(): TemplateResult {
    const chat = this.chat;
    const ready = chat.status === 'ready';
    const generating = chat.generating;
    return html`
      <section class="card frame" part="frame" aria-label=${this.label}>
        <header class="card-header" part="header">
          <div class="identity">
            <span class="card-icon avatar" aria-hidden="true">${chipIcon}</span>
            <div class="names">
              <h2 class="card-title" part="title">${this.label}</h2>
              ${chat.fallbackReason
                ? html`<p class="fallback" part="fallback" title=${chat.fallbackReason}>${sentence(chat.fallbackReason)}</p>`
                : html`<p class="model" title=${this.model}>${this.model}</p>`}
            </div>
          </div>
          <div class="badges">${renderShareBadge(this.chat)}${renderBadge(this.chat)}</div>
        </header>

        <div class="log-wrap">
          <ol class="log" part="log" aria-label="Conversation" @scroll=${this.autoScroll.onScroll} @wheel=${this.autoScroll.onWheel}>
            ${this.renderLogContent()}
          </ol>
          ${this.autoScroll.showJump
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

  private renderLogContent(): TemplateResult | TemplateResult[] {
    const chat = this.chat;
    if (chat.status === 'failed') return html`<li class="placeholder">${renderLoadError(chat.loadError, () => this.onReload())}</li>`;
    if (chat.status !== 'ready') return html`<li class="placeholder">${renderProgress(chat.files, this.model)}</li>`;
    const shown: ShownMessage[] = [...chat.messages];
    if (chat.pending) shown.push({ role: 'user', content: chat.pending.user }, { role: 'assistant', content: chat.pending.reply, streaming: true });
    if (shown.length === 0) return html`<li class="placeholder">${renderWelcome(this.label, (text) => this.onSuggestion(text))}</li>`;
    return shown.map((message) => renderMessage(message, this.label));
  }

  private renderErrors(): TemplateResult[] {
    const messages = this.refusals.messages;
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

  private jumpToLatest(): void {
    this.autoScroll.jumpToEnd();
    this.textarea.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tabwise-chatbot': TabwiseChatbot;
  }
}

/** The engine's reasons are clauses ("fell back to WASM: …"); shown alone, they start a sentence. */
function sentence(clause: string): string {
  return clause.charAt(0).toUpperCase() + clause.slice(1);
}
