import { css } from 'lit';

export const chatbotStyles = css`
  :host {
    --_user-bg: var(--tabwise-user-bg, var(--_accent));
    --_user-fg: var(--tabwise-user-fg, var(--_accent-fg));
    --_bot-bg: var(--tabwise-bot-bg, var(--_surface));
    --_bot-fg: var(--tabwise-bot-fg, var(--_fg));

    display: block;
    height: 36rem;
    min-height: 22rem;
  }

  .frame {
    container: chatbot / inline-size;
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }

  /* Header: who you talk to, and on what */
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    padding: 0.75rem 1rem;
    border-bottom: 1px solid var(--_border);
  }

  .identity {
    display: flex;
    align-items: center;
    gap: 0.7rem;
    min-width: 0;
  }

  .avatar {
    display: grid;
    flex: none;
    place-items: center;
    width: 2.25rem;
    height: 2.25rem;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 16%, transparent);
    color: var(--_accent);
  }

  .avatar svg {
    width: 1.2rem;
    height: 1.2rem;
  }

  .names {
    min-width: 0;
  }

  h2 {
    margin: 0;
    font-size: 1rem;
    font-weight: 650;
    line-height: 1.25;
  }

  .model,
  .fallback {
    margin: 0;
    overflow: hidden;
    color: var(--_muted);
    font-size: 0.78rem;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .badges {
    display: flex;
    flex: none;
    align-items: center;
    gap: 0.4rem;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.2rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    white-space: nowrap;
  }

  .badge .dot {
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--_muted);
  }

  .badge.ready .dot {
    background: var(--_success);
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_success) 22%, transparent);
  }

  .badge.loading .dot {
    background: var(--_accent);
    animation: pulse 1.2s ease-in-out infinite;
  }

  .badge.failed .dot {
    background: var(--_danger);
  }

  .badge.fell-back {
    border-color: color-mix(in srgb, #d98e04 45%, transparent);
  }

  /* Conversation */
  .log-wrap {
    position: relative;
    flex: 1;
    min-height: 0;
  }

  .log {
    height: 100%;
    margin: 0;
    padding: 1rem;
    overflow-y: auto;
    overscroll-behavior: contain;
    list-style: none;
    scroll-behavior: auto;
  }

  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    margin: 0 0 0.75rem;
    animation: rise 160ms ease-out;
  }

  .message.user {
    align-items: flex-end;
  }

  .bubble {
    max-width: min(80%, 38rem);
    padding: 0.55rem 0.85rem;
    border-radius: 18px 18px 18px 6px;
    background: var(--_bot-bg);
    color: var(--_bot-fg);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .user .bubble {
    border-radius: 18px 18px 6px 18px;
    background: var(--_user-bg);
    color: var(--_user-fg);
  }

  .empty-reply {
    color: var(--_muted);
    font-style: italic;
  }

  .tag {
    margin-top: 0.25rem;
    color: var(--_muted);
    font-size: 0.72rem;
  }

  .cursor::after {
    content: '';
    display: inline-block;
    width: 0.45em;
    height: 1em;
    margin-left: 1px;
    vertical-align: -0.15em;
    background: currentColor;
    opacity: 0.5;
    animation: blink 1s steps(1) infinite;
  }

  .typing {
    display: inline-flex;
    gap: 4px;
    padding: 0.35rem 0;
  }

  .typing span {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--_muted);
    animation: bounce 1.1s ease-in-out infinite;
  }

  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }

  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }

  .jump {
    position: absolute;
    bottom: 0.75rem;
    left: 50%;
    transform: translateX(-50%);
    box-shadow: var(--_shadow);
  }

  .jump:active:not(:disabled) {
    transform: translateX(-50%) translateY(1px);
  }

  /* Empty, loading and failed states, centred in the conversation area */
  .placeholder {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.75rem;
    min-height: 100%;
    padding: 1rem;
    color: var(--_muted);
    text-align: center;
  }

  .placeholder h3 {
    margin: 0;
    color: var(--_fg);
    font-size: 1.05rem;
    font-weight: 650;
  }

  .placeholder p {
    max-width: 26rem;
    margin: 0;
    font-size: 0.88rem;
  }

  .placeholder .avatar {
    width: 3rem;
    height: 3rem;
  }

  .placeholder .avatar svg {
    width: 1.5rem;
    height: 1.5rem;
  }

  .suggestions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5rem;
    margin-top: 0.25rem;
  }

  .suggestions button {
    font-weight: 500;
  }

  .progress-card {
    width: min(100%, 24rem);
    padding: 1rem 1.1rem;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
    text-align: left;
  }

  .progress-card .file {
    overflow: hidden;
    color: var(--_fg);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.8rem;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  progress {
    display: block;
    width: 100%;
    height: 8px;
    margin: 0.6rem 0 0.45rem;
    overflow: hidden;
    border: 0;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
    color: var(--_accent);
    appearance: none;
  }

  progress::-webkit-progress-bar {
    border-radius: 999px;
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
  }

  progress::-webkit-progress-value {
    border-radius: 999px;
    background: var(--_accent);
    transition: width 150ms linear;
  }

  progress::-moz-progress-bar {
    border-radius: 999px;
    background: var(--_accent);
  }

  /* Indeterminate (size unknown, or starting up): a sliding stripe. */
  progress:indeterminate {
    background: linear-gradient(90deg, transparent 0 35%, var(--_accent) 35% 65%, transparent 65% 100%) 0 0 / 250% 100%
        no-repeat,
      color-mix(in srgb, var(--_accent) 14%, transparent);
    animation: slide 1.2s ease-in-out infinite;
  }

  progress:indeterminate::-webkit-progress-bar {
    background: transparent;
  }

  progress:indeterminate::-moz-progress-bar {
    background: transparent;
  }

  .numbers {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    font-size: 0.78rem;
    font-variant-numeric: tabular-nums;
  }

  .load-error {
    flex-direction: column;
    align-items: stretch;
    width: min(100%, 30rem);
    text-align: left;
  }

  .load-error strong {
    font-size: 0.95rem;
  }

  .load-error .details {
    max-height: 7.5rem;
    margin: 0;
    overflow: auto;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.75rem;
    white-space: pre-wrap;
  }

  .load-error button {
    align-self: flex-start;
  }

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
    header {
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
