// <tabwise-chatbot>: inline errors, the composer, the footer, and the narrow layout. Last in the cascade.
import { css } from 'lit';

export const chatbotComposerStyles = css`
  /* Inline errors above the composer */
  .errors {
    display: grid;
    gap: 0.4rem;
    padding: 0 1rem 0.6rem;
  }

  .errors:empty {
    display: none;
  }

  /* Composer */
  form {
    margin: 0 1rem;
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 2px);
    background: var(--_bg);
    transition: border-color 120ms, box-shadow 120ms;
  }

  form:focus-within {
    border-color: color-mix(in srgb, var(--_accent) 60%, var(--_border));
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 18%, transparent);
  }

  textarea {
    display: block;
    width: 100%;
    min-height: 2.6rem;
    max-height: 9rem;
    padding: 0.35rem 0.5rem;
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    resize: none;
    field-sizing: content;
  }

  textarea:focus-visible {
    outline: none;
  }

  textarea::placeholder {
    color: var(--_muted);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    margin-top: 0.35rem;
  }

  .actions .spacer {
    flex: 1;
  }

  footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0.25rem 1rem;
    padding: 0.5rem 1.1rem 0.65rem;
    color: var(--_muted);
    font-size: 0.75rem;
    font-variant-numeric: tabular-nums;
  }

  footer .stats {
    display: flex;
    gap: 0.9rem;
  }

  footer strong {
    color: var(--_fg);
    font-weight: 600;
  }

  kbd {
    padding: 0 0.3em;
    border: 1px solid var(--_border);
    border-radius: 4px;
    font: inherit;
    font-size: 0.7rem;
  }

  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(4px);
    }
  }

  @keyframes blink {
    50% {
      opacity: 0;
    }
  }

  @keyframes bounce {
    0%,
    80%,
    100% {
      opacity: 0.35;
      transform: translateY(0);
    }
    40% {
      opacity: 1;
      transform: translateY(-3px);
    }
  }

  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }

  @keyframes slide {
    from {
      background-position: 150% 0, 0 0;
    }
    to {
      background-position: -50% 0, 0 0;
    }
  }

  /* Narrow (a phone, a sidebar): icon-only secondary buttons, no keyboard hint. */
  @container chatbot (max-width: 30rem) {
    .card-header {
      padding: 0.6rem 0.75rem;
    }
    .log {
      padding: 0.75rem;
    }
    .bubble {
      max-width: 90%;
    }
    form {
      margin: 0 0.6rem;
    }
    .actions button:not([part='send']) {
      width: 2.25rem;
      padding: 0;
    }
    .actions button:not([part='send']) .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    footer {
      padding: 0.45rem 0.75rem 0.55rem;
    }
    footer .keys {
      display: none;
    }
  }
`;
