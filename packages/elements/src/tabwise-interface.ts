import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { valueComponentTypes, type ChatbotValue, type ComponentType } from '@tabwise/core';
import { AttributeRefusals } from './attribute-refusals.js';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { FunctionsController } from './functions-controller.js';
import { sendIcon } from './icons.js';
import { interfaceStyles } from './tabwise-interface-styles.js';
import { themeStyles } from './theme-styles.js';
import { toError } from './to-error.js';

/** Component types the form draws; 'state' is never drawn: the worker keeps it. */
type ShownType = Exclude<ComponentType, 'state'>;
const shownTypes: readonly ShownType[] = valueComponentTypes;

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/**
 * Gradio's Interface for a function you serve from your own worker module: a minimal form for its
 * inputs, a Submit button, and its outputs. `state` inputs and outputs are wired the way Gradio's
 * Interface does: not drawn, kept per tab in the worker (one worker per element), and passed to
 * the function on every call.
 *
 * ```html
 * <tabwise-interface src="./app.worker.js" fn="track_score" inputs="number" outputs="json"></tabwise-interface>
 * ```
 *
 * A chatbot input is the chat shown by the chatbot output, so `inputs="text, state"` with
 * `outputs="chatbot, state"` is a complete chat.
 *
 * @fires {TabwiseErrorEvent} tabwise-error - Something failed: `event.error`, `event.source` ('load' for the worker, 'send' for a call the function refused or threw from, 'input' for a value the form refused, 'attribute' for `inputs`/`outputs`/`fn`).
 *
 * @csspart card - The outer box.
 * @csspart header - The top bar: title and status.
 * @csspart title - The heading (the `label` attribute, or the function's name).
 * @csspart form - The inputs and Submit.
 * @csspart field - One input with its label.
 * @csspart input - An input control (text, number or json).
 * @csspart submit - The Submit button.
 * @csspart outputs - The box holding the outputs.
 * @csspart output - One output; also named `text`, `number`, `json` or `chatbot`.
 * @csspart message - A chatbot message; also named `user` or `assistant`.
 * @csspart error - An inline error.
 *
 * @cssprop [--tabwise-accent=#5b5bd6] - Accent colour: Submit, user messages, focus rings.
 * @cssprop [--tabwise-bg=#ffffff] - Background.
 * @cssprop [--tabwise-surface=#f5f6f8] - Outputs and bot messages.
 * @cssprop [--tabwise-fg=#1b1f29] - Text colour.
 * @cssprop [--tabwise-muted=#5f6878] - Labels and secondary text.
 * @cssprop [--tabwise-border=#e3e6eb] - Borders.
 * @cssprop [--tabwise-radius=14px] - Corner radius of the card.
 */
@customElement('tabwise-interface')
export class TabwiseInterface extends LitElement {
  static override styles = [themeStyles, interfaceStyles];

  /** URL of the worker module that calls serve(), resolved against the page. */
  @property() src = '';

  /** Name of the served function to call. */
  @property() fn = '';

  /** Component types of the inputs, comma- or space-separated (text, number, json, chatbot, state); the function's own when absent. */
  @property() inputs = '';

  /** Component types of the outputs, as `inputs`. */
  @property() outputs = '';

  /** Heading of the card; the function's name when absent. */
  @property() label = '';

  private readonly link = new FunctionsController(this);
  private readonly refusals = new AttributeRefusals(this);
  @state() private callError = '';
  @state() private running = 0;
  /** The shown outputs of the last call that succeeded, in order. */
  @state() private results?: unknown[];
  private declaredInputs?: ShownType[];
  private declaredOutputs?: ShownType[];

  /** The shown outputs of the last call that succeeded (undefined before the first). */
  get value(): unknown[] | undefined {
    return this.results;
  }

  /**
   * Calls the function with `args` (its non-state inputs) as Submit would, shows and resolves to its
   * outputs. A refused call or a thrown error is shown, dispatched as tabwise-error, and rethrown.
   */
  async submit(...args: unknown[]): Promise<unknown> {
    const client = this.link.client;
    if (!client) throw this.link.error ?? new Error('the worker is not connected yet');
    this.running++;
    this.callError = '';
    try {
      const result = await client.call(this.fn, ...args);
      const count = this.outputTypes().length;
      this.results = count === 1 ? [result] : Array.isArray(result) ? result : [];
      return result;
    } catch (error) {
      const failure = toError(error);
      this.callError = `${failure.name}: ${failure.message}`;
      this.dispatchEvent(new TabwiseErrorEvent(failure, 'send'));
      throw failure;
    } finally {
      this.running--;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('src')) this.link.use(this.src);
    if (changed.has('inputs')) this.declaredInputs = this.parseTypes('inputs');
    if (changed.has('outputs')) this.declaredOutputs = this.parseTypes('outputs');
    if (changed.has('fn')) this.results = undefined;
  }

  /** The shown types an attribute lists; undefined when it is empty or refused (the function's own are used). */
  private parseTypes(attribute: 'inputs' | 'outputs'): ShownType[] | undefined {
    const written = this[attribute].split(/[\s,]+/).filter(Boolean);
    const unknown = written.filter((type) => type !== 'state' && !(shownTypes as readonly string[]).includes(type));
    if (unknown.length > 0) {
      const error = new RangeError(`unknown component type ${unknown.map((t) => `"${t}"`).join(', ')} (use ${[...shownTypes, 'state'].join(', ')})`);
      this.refusals.refuse(attribute, error, "Using the function's own.");
      return undefined;
    }
    this.refusals.accept(attribute);
    return written.length === 0 ? undefined : written.filter((type): type is ShownType => type !== 'state');
  }

  private served() {
    return this.link.describe(this.fn);
  }

  private inputTypes(): ShownType[] {
    return this.declaredInputs ?? shown(this.served()?.inputs);
  }

  private outputTypes(): ShownType[] {
    return this.declaredOutputs ?? shown(this.served()?.outputs);
  }

  protected override render(): TemplateResult {
    const served = this.served();
    const ready = this.link.status === 'ready' && served !== undefined;
    const inputs = this.inputTypes();
    return html`
      <section class="card" part="card" aria-labelledby="title">
        <header class="card-header" part="header">
          <h2 id="title" part="title">${this.label || this.fn || 'Interface'}</h2>
          <span class="pill status ${ready ? 'on' : ''}"><span class="dot"></span>${this.statusText(ready)}</span>
        </header>
        <form part="form" novalidate @submit=${this.onSubmit}>
          ${inputs.map((type, index) => this.renderInput(type, index, served?.parameters?.[index]))}
          <button type="submit" part="submit" class="primary" ?disabled=${!ready}>${sendIcon} Submit</button>
        </form>
        <div class="outputs" part="outputs" aria-live="polite">${this.outputTypes().map((type, index) => this.renderOutput(type, this.results?.[index]))}</div>
        <div class="errors">${this.renderErrors()}</div>
      </section>
    `;
  }

  private statusText(ready: boolean): string {
    if (this.running > 0) return 'Running…';
    if (ready) return 'Ready';
    return { idle: 'No worker', connecting: 'Starting…', ready: 'No such function', failed: 'Failed' }[this.link.status];
  }

  private renderInput(type: ShownType, index: number, parameter?: string): TemplateResult | typeof nothing {
    if (type === 'chatbot') return nothing; // the chat shown among the outputs
    const id = `input-${index}`;
    const label = parameter && !parameter.startsWith('input ') ? parameter : `${type} ${index + 1}`;
    const control =
      type === 'number'
        ? html`<input id=${id} part="input" data-index=${index} type="number" step="any" inputmode="decimal" autocomplete="off" />`
        : html`<textarea id=${id} part="input" data-index=${index} class=${type} rows=${type === 'json' ? 3 : 1} spellcheck=${type === 'text' ? 'true' : 'false'}
            @keydown=${this.onKeydown}></textarea>`;
    return html`<div class="field" part="field"><label for=${id}>${label}</label>${control}</div>`;
  }

  private renderOutput(type: ShownType, value: unknown): TemplateResult {
    if (type === 'chatbot') {
      const messages = chatMessages(value as ChatbotValue | undefined);
      return html`<ol class="chatbot" part="output chatbot" aria-label="Chat">
        ${messages.length === 0 ? html`<li class="empty">No messages yet</li>` : nothing}
        ${messages.map(({ role, content }) => html`<li class="message ${role}" part="message ${role}">${content}</li>`)}
      </ol>`;
    }
    if (value === undefined) return html`<output class="${type} empty" part="output ${type}">—</output>`;
    if (type === 'json') return html`<pre class="json" part="output json">${JSON.stringify(value, null, 2)}</pre>`;
    const text = type === 'number' && typeof value === 'number' ? numberFormat.format(value) : String(value);
    return html`<output class=${type} part="output ${type}">${text}</output>`;
  }

  private renderErrors(): TemplateResult[] {
    const errors = [...this.refusals.messages, this.callError];
    if (this.link.error) errors.push(`The worker could not start (${this.link.error.name}: ${this.link.error.message}).`);
    const names = this.link.client?.functions.map((served) => `"${served.name}"`).join(', ');
    if (this.link.status === 'ready' && !this.served()) errors.push(`fn="${this.fn}": the worker serves no such function (it serves ${names || 'none'}).`);
    return errors.filter(Boolean).map((message) => html`<p class="alert" part="error" role="alert">${message}</p>`);
  }

  private onKeydown(event: KeyboardEvent): void {
    // Enter submits a one-line text input, as a form field would; Shift+Enter adds a line.
    const target = event.target as HTMLTextAreaElement;
    if (event.key === 'Enter' && !event.shiftKey && target.classList.contains('text')) {
      event.preventDefault();
      target.form?.requestSubmit();
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const args: unknown[] = [];
    const types = this.inputTypes();
    for (const [index, type] of types.entries()) {
      if (type === 'chatbot') {
        const chat = this.outputTypes().indexOf('chatbot');
        args.push(chat >= 0 ? (this.results?.[chat] ?? []) : []);
        continue;
      }
      const control = form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-index="${index}"]`)!;
      const value = readControl(type, control);
      if (value instanceof Error) {
        this.callError = value.message;
        this.dispatchEvent(new TabwiseErrorEvent(value, 'input'));
        control.focus();
        return;
      }
      args.push(value);
    }
    // A chat clears its message box once sent, as Gradio's chat examples do.
    if (this.outputTypes().includes('chatbot')) form.querySelectorAll<HTMLTextAreaElement>('textarea.text').forEach((box) => (box.value = ''));
    this.submit(...args).catch(() => {}); // shown and dispatched by submit()
  }
}

function shown(types?: ComponentType[]): ShownType[] {
  return (types ?? []).filter((type): type is ShownType => type !== 'state');
}

/** A control's value for its component type, or the error to show. */
function readControl(type: ShownType, control: HTMLInputElement | HTMLTextAreaElement): unknown {
  if (type === 'number') {
    const number = (control as HTMLInputElement).valueAsNumber;
    return control.value.trim() === '' || !Number.isFinite(number) ? new TypeError('Enter a number.') : number;
  }
  if (type === 'json') {
    try {
      return JSON.parse(control.value);
    } catch (error) {
      return new SyntaxError(`Not valid JSON: ${(error as Error).message}`);
    }
  }
  return control.value;
}

/** Gradio's [user, bot] pairs or {role, content} messages, as messages. */
function chatMessages(value: ChatbotValue | undefined): { role: 'user' | 'assistant'; content: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    Array.isArray(item)
      ? [
          ...(item[0] === null ? [] : [{ role: 'user' as const, content: String(item[0]) }]),
          ...(item[1] === null ? [] : [{ role: 'assistant' as const, content: String(item[1]) }]),
        ]
      : [item],
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'tabwise-interface': TabwiseInterface;
  }
}
