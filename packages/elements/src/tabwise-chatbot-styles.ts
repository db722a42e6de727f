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
  }

  /* Header: who you talk to, and on what (card, title and pill come from the theme) */
  .card-header {
    padding: 0.75rem 1rem;
  }

  .identity {
    display: flex;
    align-items: center;
    gap: 0.7rem;
    min-width: 0;
  }

  .avatar {
    background: color-mix(in srgb, var(--_accent) 16%, transparent);
    color: var(--_accent);
  }

  .names {
    min-width: 0;
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
    gap: 0.35rem;
    letter-spacing: 0.02em;
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
`;
