// The elements' shared look: every colour and size comes from a public --tabwise-* custom property,
// read once into a private --_* one with a light or dark default (prefers-color-scheme).
import { css } from 'lit';

export const themeStyles = css`
  :host {
    --_font: var(--tabwise-font, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_radius: var(--tabwise-radius, 14px);
    --_accent: var(--tabwise-accent, #5b5bd6);
    --_accent-fg: var(--tabwise-accent-fg, #ffffff);
    --_bg: var(--tabwise-bg, #ffffff);
    --_surface: var(--tabwise-surface, #f5f6f8);
    --_fg: var(--tabwise-fg, #1b1f29);
    --_muted: var(--tabwise-muted, #5f6878);
    --_border: var(--tabwise-border, #e3e6eb);
    --_danger: var(--tabwise-danger, #c8313e);
    --_danger-bg: var(--tabwise-danger-bg, #fdecee);
    --_success: var(--tabwise-success, #1f8a5b);
    --_shadow: var(--tabwise-shadow, 0 1px 2px rgb(16 24 40 / 0.06), 0 8px 24px rgb(16 24 40 / 0.08));

    box-sizing: border-box;
    color-scheme: light dark;
    font-family: var(--_font);
    font-size: 15px;
    line-height: 1.5;
    color: var(--_fg);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--tabwise-accent, #8b8cf8);
      --_accent-fg: var(--tabwise-accent-fg, #12131a);
      --_bg: var(--tabwise-bg, #15171c);
      --_surface: var(--tabwise-surface, #1f2229);
      --_fg: var(--tabwise-fg, #e9ebf1);
      --_muted: var(--tabwise-muted, #9ba3b4);
      --_border: var(--tabwise-border, #2d323c);
      --_danger: var(--tabwise-danger, #ff7b86);
      --_danger-bg: var(--tabwise-danger-bg, #3a1d22);
      --_success: var(--tabwise-success, #4cc98f);
      --_shadow: var(--tabwise-shadow, 0 1px 2px rgb(0 0 0 / 0.3), 0 8px 24px rgb(0 0 0 / 0.35));
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.25rem;
    padding: 0 0.9rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-size: 0.875rem;
    font-weight: 550;
    cursor: pointer;
    transition: background-color 120ms, border-color 120ms, opacity 120ms, transform 60ms;
  }

  button:hover:not(:disabled) {
    background: var(--_surface);
  }

  button:active:not(:disabled) {
    transform: translateY(1px);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.45;
  }

  button.primary {
    border-color: transparent;
    background: var(--_accent);
    color: var(--_accent-fg);
  }

  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 88%, black);
  }

  button.danger:not(:disabled) {
    border-color: color-mix(in srgb, var(--_danger) 45%, transparent);
    color: var(--_danger);
  }

  button svg {
    width: 1em;
    height: 1em;
    flex: none;
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .alert {
    display: flex;
    align-items: flex-start;
    gap: 0.6rem;
    margin: 0;
    padding: 0.6rem 0.8rem;
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, transparent);
    border-radius: 10px;
    background: var(--_danger-bg);
    color: var(--_danger);
    font-size: 0.85rem;
    overflow-wrap: anywhere;
  }

  /* Shared by the elements: the card each is drawn in, its header and title, and the status pill with its dot */
  .card {
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }

  .card-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    padding: 0.85rem 1rem;
    border-bottom: 1px solid var(--_border);
  }

  /* The round icon beside a card's title */
  .card-icon {
    display: grid;
    flex: none;
    place-items: center;
    width: 2.25rem;
    height: 2.25rem;
    border-radius: 50%;
  }

  .card-icon svg {
    width: 1.2rem;
    height: 1.2rem;
  }

  .card-title {
    margin: 0;
    font-size: 1rem;
    font-weight: 650;
    line-height: 1.25;
  }

  .pill {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.2rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
  }

  .pill .dot {
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--_muted);
  }

  .pill.on .dot {
    background: var(--_success);
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      transition-duration: 0.01ms !important;
    }
  }
`;
