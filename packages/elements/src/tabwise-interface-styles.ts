import { css } from 'lit';

export const interfaceStyles = css`
  :host {
    display: block;
  }

  /* Card, header and status pill come from the theme. */
  h2 {
    margin: 0;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.95rem;
    font-weight: 650;
  }

  form {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.75rem;
    padding: 1rem;
  }

  .field {
    display: flex;
    flex: 1 1 12rem;
    flex-direction: column;
    gap: 0.3rem;
  }

  label {
    color: var(--_muted);
    font-size: 0.8rem;
    font-weight: 600;
  }

  input,
  textarea {
    width: 100%;
    min-height: 2.25rem;
    padding: 0.45rem 0.7rem;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    resize: vertical;
  }

  textarea.json {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.85rem;
  }

  .outputs {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
    padding: 0 1rem 1rem;
  }

  output,
  pre {
    display: block;
    margin: 0;
    padding: 0.6rem 0.8rem;
    border-radius: 10px;
    background: var(--_surface);
    overflow-wrap: anywhere;
  }

  pre {
    overflow: auto;
    max-height: 20rem;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.85rem;
    white-space: pre-wrap;
  }

  output.empty {
    color: var(--_muted);
  }

  .chatbot {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    min-height: 8rem;
    max-height: 28rem;
    margin: 0;
    padding: 0.75rem;
    overflow-y: auto;
    border: 1px solid var(--_border);
    border-radius: 12px;
    list-style: none;
  }

  .chatbot .empty {
    margin: auto;
    color: var(--_muted);
    font-size: 0.85rem;
  }

  .message {
    max-width: 85%;
    padding: 0.5rem 0.8rem;
    border-radius: 14px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .message.user {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-fg);
  }

  .message.assistant {
    align-self: flex-start;
    background: var(--_surface);
  }

  .errors {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    padding: 0 1rem;
  }

  .errors:not(:empty) {
    padding-bottom: 1rem;
  }
`;
