import { css } from 'lit';

export const scoreboardStyles = css`
  :host {
    --_gold: var(--tabwise-gold, #e6a700);
    --_silver: var(--tabwise-silver, #98a2b3);
    --_bronze: var(--tabwise-bronze, #c7743a);

    display: block;
  }

  /* Card, header, title and pill come from the theme. */
  .card {
    container: scoreboard / inline-size;
  }

  .identity {
    display: flex;
    align-items: center;
    gap: 0.7rem;
  }

  .icon {
    background: color-mix(in srgb, var(--_gold) 18%, transparent);
    color: color-mix(in srgb, var(--_gold) 80%, var(--_fg));
  }

  .subtitle {
    margin: 0;
    color: var(--_muted);
    font-size: 0.78rem;
  }

  .live.on .dot {
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_success) 22%, transparent);
    animation: pulse 2s ease-in-out infinite;
  }

  ol {
    margin: 0;
    padding: 0.5rem;
    list-style: none;
  }

  li {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    padding: 0.5rem 0.6rem;
    border-radius: 10px;
    font-variant-numeric: tabular-nums;
  }

  li + li {
    margin-top: 2px;
  }

  li.filled:nth-child(odd) {
    background: var(--_surface);
  }

  li.mine {
    background: color-mix(in srgb, var(--_accent) 12%, transparent) !important;
  }

  .rank {
    display: grid;
    flex: none;
    place-items: center;
    width: 1.75rem;
    height: 1.75rem;
    border-radius: 50%;
    background: var(--_surface);
    border: 1px solid var(--_border);
    color: var(--_muted);
    font-size: 0.8rem;
    font-weight: 700;
  }

  li:nth-child(1) .rank {
    border-color: transparent;
    background: var(--_gold);
    color: #2b2100;
  }

  li:nth-child(2) .rank {
    border-color: transparent;
    background: var(--_silver);
    color: #141821;
  }

  li:nth-child(3) .rank {
    border-color: transparent;
    background: var(--_bronze);
    color: #24140a;
  }

  li.empty .rank {
    border: 1px dashed var(--_border);
    background: transparent !important;
    color: var(--_muted);
  }

  .value {
    flex: 1;
    font-size: 1.15rem;
    font-weight: 650;
  }

  li.empty .value {
    color: var(--_muted);
    font-size: 0.9rem;
    font-weight: 400;
  }

  li.filled .value {
    animation: flash 900ms ease-out;
  }

  .you {
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-size: 0.7rem;
    font-weight: 700;
    letter-spacing: 0.03em;
    text-transform: uppercase;
  }

  form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding: 0.85rem 1rem;
    border-top: 1px solid var(--_border);
  }

  label {
    color: var(--_muted);
    font-size: 0.85rem;
    font-weight: 550;
  }

  input {
    flex: 1;
    min-width: 6rem;
    min-height: 2.25rem;
    padding: 0 0.75rem;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_bg);
    color: inherit;
    font: inherit;
    font-variant-numeric: tabular-nums;
  }

  input:focus-visible {
    border-color: var(--_accent);
    outline: none;
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 20%, transparent);
  }

  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .errors {
    display: grid;
    gap: 0.4rem;
    padding: 0 1rem 0.75rem;
  }

  .errors:empty {
    display: none;
  }

  footer {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    padding: 0.55rem 1rem;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.75rem;
  }

  /* Narrow (a sidebar): the label above the input, the footer on two lines. */
  @container scoreboard (max-width: 22rem) {
    form label {
      flex-basis: 100%;
    }
    footer {
      flex-direction: column;
      gap: 0.1rem;
    }
    .subtitle {
      display: none;
    }
  }

  @keyframes pulse {
    50% {
      box-shadow: 0 0 0 5px color-mix(in srgb, var(--_success) 8%, transparent);
    }
  }

  @keyframes flash {
    from {
      color: var(--_accent);
      transform: scale(1.08);
    }
  }
`;
