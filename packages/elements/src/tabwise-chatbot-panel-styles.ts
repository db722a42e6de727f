// <tabwise-chatbot>: the panels shown in the conversation area before it has messages (welcome,
// download progress, load error). After tabwise-chatbot-styles.ts in the cascade.
import { css } from 'lit';

export const chatbotPanelStyles = css`
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
`;
