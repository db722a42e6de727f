import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { TabwiseErrorEvent } from './events/tabwise-error-event.js';
import { restoreDefaults } from './attribute-defaults.js';
import { AttributeRefusals } from './attribute-refusals.js';
import { GlobalStateController } from './global-state-controller.js';
import { trophyIcon } from './icons.js';
import { scoreboardStyles } from './tabwise-scoreboard-styles.js';
import { themeStyles } from './theme-styles.js';
import { toError } from './to-error.js';

/** The most rows a board shows. */
const maxTop = 100;

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/**
 * A leaderboard shared by every tab of the site: type a number and Submit, and the top scores
 * update live in all tabs (global state, like a module-level `scores = []` on a Gradio server).
 * Submissions are appended with a compare-and-set update, so scores sent at the same moment from
 * different tabs are all kept. Without `persist` the scores last while a tab of the site is open;
 * with it they are kept in IndexedDB.
 *
 * @fires {TabwiseErrorEvent} tabwise-error - A value was refused or the shared state failed: `event.error`, `event.source` ('attribute', 'input' or 'state').
 *
 * @csspart card - The outer box.
 * @csspart header - The top bar: title and live indicator.
 * @csspart title - The heading (the `label` attribute).
 * @csspart list - The ranked list.
 * @csspart score - One row of the list; also named `empty` while no score fills it.
 * @csspart rank - The rank badge of a row.
 * @csspart value - The score of a row.
 * @csspart form - The box holding the input and Submit.
 * @csspart input - The number input.
 * @csspart submit - The Submit button.
 * @csspart error - An inline error.
 * @csspart footer - The bottom line: how many scores, and where they are kept.
 *
 * @cssprop [--tabwise-accent=#5b5bd6] - Accent colour: Submit, your score, focus rings.
 * @cssprop [--tabwise-gold=#e6a700] - Rank 1 badge.
 * @cssprop [--tabwise-silver=#98a2b3] - Rank 2 badge.
 * @cssprop [--tabwise-bronze=#c7743a] - Rank 3 badge.
 * @cssprop [--tabwise-bg=#ffffff] - Background.
 * @cssprop [--tabwise-surface=#f5f6f8] - Striped rows and the footer.
 * @cssprop [--tabwise-fg=#1b1f29] - Text colour.
 * @cssprop [--tabwise-muted=#5f6878] - Secondary text.
 * @cssprop [--tabwise-border=#e3e6eb] - Borders.
 * @cssprop [--tabwise-radius=14px] - Corner radius of the card.
 */
@customElement('tabwise-scoreboard')
export class TabwiseScoreboard extends LitElement {
  static override styles = [themeStyles, scoreboardStyles];

  /** Name of the shared value: boards with the same key, in any tab, show the same scores. */
  @property() key = 'scores';

  /** How many of the best scores to show, an integer in [1, 100]. */
  @property({ type: Number }) top = 3;

  /** Keep the scores in IndexedDB, so they survive closing every tab. */
  @property({ type: Boolean }) persist = false;

  /** Heading of the board, also its accessible name. */
  @property() label = 'Top scores';

  /** Smallest score accepted; no limit when absent. */
  @property({ type: Number }) min?: number;

  /** Largest score accepted; no limit when absent. */
  @property({ type: Number }) max?: number;

  /** Each attribute's meaning when absent: removing the attribute brings it back. */
  private readonly defaults = { key: this.key, top: this.top, label: this.label };
  private readonly scores = new GlobalStateController<number[]>(this, []);
  private readonly refusals = new AttributeRefusals(this);

  /** The last valid `top`, `min` and `max`. */
  private shownTop = 3;
  private bounds: { min?: number; max?: number } = {};
  @state() private inputError = '';
  @state() private lastSubmitted?: number;
  @state() private status = '';

  @query('input') private input!: HTMLInputElement;

  /** Every score submitted so far, in the order they arrived. */
  get all(): number[] {
    return validScores(this.scores.value);
  }

  /** The best `top` scores, highest first. */
  get topScores(): number[] {
    return [...this.all].sort((a, b) => b - a).slice(0, this.shownTop);
  }

  /** Adds a score for every tab to see; resolves once it is committed. */
  async submit(score: number): Promise<void> {
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      this.refuseInput(new TypeError(`a score must be a finite number, got ${String(score)}`), 'Enter a number to submit.');
      return;
    }
    const { min = -Infinity, max = Infinity } = this.bounds;
    if (score < min || score > max) {
      this.refuseInput(new RangeError(`a score must be in [${min}, ${max}], got ${score}`), `Enter a number ${rangeText(this.bounds)}.`);
      return;
    }
    this.inputError = '';
    this.lastSubmitted = score;
    try {
      await this.scores.update((prev) => [...validScores(prev), score]);
      this.status = `Added ${numberFormat.format(score)}.`;
    } catch (error) {
      const failure = toError(error);
      this.inputError = `Your score was not saved (${failure.name}: ${failure.message}).`;
      this.report(new TabwiseErrorEvent(failure, 'state'));
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    restoreDefaults(this, changed, this.defaults);
    if (changed.has('top')) {
      const top = this.top;
      if (Number.isInteger(top) && top >= 1 && top <= maxTop) {
        this.shownTop = top;
        this.refusals.accept('top');
      } else {
        this.refusals.refuse('top', new RangeError(`top must be an integer in [1, ${maxTop}], got ${top}`), `Showing ${this.shownTop}.`);
      }
    }
    for (const bound of ['min', 'max'] as const) {
      if (!changed.has(bound)) continue;
      const value = this[bound] ?? undefined;
      if (value === undefined || Number.isFinite(value)) {
        this.bounds = { ...this.bounds, [bound]: value };
        this.refusals.accept(bound);
      } else {
        this.refusals.refuse(bound, new RangeError(`${bound} must be a finite number, got ${value}`), 'It is ignored.');
      }
    }
    if (changed.has('key') || changed.has('persist')) this.scores.use({ key: this.key, persist: this.persist });
  }

  /** Dispatches a tabwise-error (built by the caller, so manifest tools read no name from its arguments). */
  private report(event: TabwiseErrorEvent): void {
    this.dispatchEvent(event);
  }

  protected override render(): TemplateResult {
    const all = this.all;
    const top = [...all].sort((a, b) => b - a).slice(0, this.shownTop);
    const rows: (number | undefined)[] = [...top, ...Array<undefined>(this.shownTop - top.length).fill(undefined)];
    const mine = this.lastSubmitted === undefined ? -1 : top.indexOf(this.lastSubmitted);
    const live = this.scores.known && !this.scores.error;
    // Keys stay with a score as it moves, so only scores new to the board flash.
    const keys = occurrenceKeys(rows);
    return html`
      <section class="card" part="card" aria-labelledby="title">
        <header class="card-header" part="header">
          <div class="identity">
            <span class="card-icon icon" aria-hidden="true">${trophyIcon}</span>
            <div>
              <h2 id="title" class="card-title" part="title">${this.label}</h2>
              <p class="subtitle">Shared live by every tab of this site</p>
            </div>
          </div>
          <span class="pill live ${live ? 'on' : ''}"><span class="dot"></span>${live ? 'Live' : this.scores.error ? 'Offline' : 'Connecting'}</span>
        </header>

        <ol part="list" aria-label=${`${this.label}, best first`}>
          ${repeat(
            rows,
            (_, index) => keys[index],
            (score, index) =>
              score === undefined
                ? html`<li class="empty" part="score empty">
                    <span class="rank" part="rank">${index + 1}</span><span class="value" part="value">No score yet</span>
                  </li>`
                : html`<li class="filled ${index === mine ? 'mine' : ''}" part="score">
                    <span class="rank" part="rank">${index + 1}</span><span class="value" part="value">${numberFormat.format(score)}</span>
                    ${index === mine ? html`<span class="you">You</span>` : nothing}
                  </li>`,
          )}
        </ol>

        <form part="form" novalidate @submit=${this.onSubmit}>
          <label for="score">Your score</label>
          <input
            id="score"
            part="input"
            type="number"
            step="any"
            inputmode="decimal"
            autocomplete="off"
            min=${ifDefined(this.bounds.min)}
            max=${ifDefined(this.bounds.max)}
            placeholder=${this.bounds.min !== undefined || this.bounds.max !== undefined ? rangeText(this.bounds) : ''}
            aria-invalid=${this.inputError ? 'true' : 'false'}
            @input=${this.onInput}
          />
          <button type="submit" part="submit" class="primary" ?disabled=${!!this.scores.error}>Submit</button>
        </form>

        <div class="errors">${this.renderErrors()}</div>

        <footer part="footer">
          <span>${all.length} score${all.length === 1 ? '' : 's'} from all tabs</span>
          <span>${this.persist ? 'Kept in IndexedDB' : 'Kept while a tab is open'}</span>
          <span class="visually-hidden" role="status">${this.status}</span>
        </footer>
      </section>
    `;
  }

  private renderErrors(): TemplateResult[] {
    const errors = [...this.refusals.messages, this.inputError];
    if (this.scores.error) errors.push(`The shared scores are unavailable (${this.scores.error.name}: ${this.scores.error.message}).`);
    return errors.filter(Boolean).map((message) => html`<p class="alert" part="error" role="alert">${message}</p>`);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.input;
    if (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber)) {
      this.refuseInput(new TypeError(`not a number: ${JSON.stringify(input.value)}`), 'Enter a number to submit.');
      input.focus();
      return;
    }
    const score = input.valueAsNumber;
    const { min = -Infinity, max = Infinity } = this.bounds;
    if (score >= min && score <= max) input.value = '';
    input.focus();
    void this.submit(score);
  }

  private onInput(): void {
    if (this.inputError) this.inputError = '';
  }

  private refuseInput(error: Error, message: string): void {
    this.inputError = message;
    this.report(new TabwiseErrorEvent(error, 'input'));
  }
}

/** The finite numbers of a stored value (another page could store anything under the same key). */
function validScores(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((score): score is number => typeof score === 'number' && Number.isFinite(score)) : [];
}

/** "from 0 to 10", "of at least 0", "of at most 10". */
function rangeText({ min, max }: { min?: number; max?: number }): string {
  if (min !== undefined && max !== undefined) return `from ${numberFormat.format(min)} to ${numberFormat.format(max)}`;
  if (min !== undefined) return `of at least ${numberFormat.format(min)}`;
  if (max !== undefined) return `of at most ${numberFormat.format(max)}`;
  return '';
}

/** Stable keys for rows: a score and how many equal scores came before it ("42#0", "42#1"). */
function occurrenceKeys(rows: (number | undefined)[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const base = row === undefined ? 'empty' : String(row);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return `${base}#${count}`;
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'tabwise-scoreboard': TabwiseScoreboard;
  }
}
