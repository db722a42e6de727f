// The parts of <tabwise-chatbot> that render from plain values: the device badge, one message, and
// the panels the conversation area shows before it has messages (welcome, progress, load error).
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage, Device, FileProgress } from '@tabwise/core';
import type { ChatController } from './chat-controller.js';
import { formatMegabytes, percentOf } from './format.js';
import { chipIcon, retryIcon } from './icons.js';

/** Starters shown in an empty conversation. */
const suggestions = ['Hello! How are you today?', 'What do you like to do for fun?', 'Tell me about your favourite book.'];

/** A message as the list renders it; the reply being generated carries `streaming`. */
export interface ShownMessage extends ChatMessage {
  streaming?: boolean;
}

export function renderBadge(chat: ChatController): TemplateResult {
  if (chat.status === 'ready' && chat.chat) {
    const { device, dtype } = chat.chat;
    const reason = chat.fallbackReason;
    return html`<span
      class="pill badge ready ${reason ? 'fell-back' : ''}"
      part="badge"
      title=${reason ? `Running on ${deviceName(device)}: ${reason}` : `Running on ${deviceName(device)}`}
      ><span class="dot"></span>${deviceName(device)} · ${dtype}</span
    >`;
  }
  if (chat.status === 'failed') return html`<span class="pill badge failed" part="badge"><span class="dot"></span>Not loaded</span>`;
  return html`<span class="pill badge loading" part="badge"><span class="dot"></span>Loading</span>`;
}

/** With share="origin": "shared · host · 3 tabs" (or why this tab runs its own model). */
export function renderShareBadge(chat: ChatController): TemplateResult | typeof nothing {
  const shared = chat.status === 'ready' ? chat.shared : undefined;
  if (!shared || shared.requested !== 'origin') return nothing;
  if (shared.mode !== 'origin') {
    return html`<span class="pill badge share fell-back" part="share-badge" title=${shared.reason}>not shared</span>`;
  }
  const role = shared.host ? 'host' : 'guest';
  const tabs = `${shared.tabs} ${shared.tabs === 1 ? 'tab' : 'tabs'}`;
  return html`<span
    class="pill badge share"
    part="share-badge"
    data-host=${shared.host ? 'true' : 'false'}
    data-tabs=${shared.tabs}
    title=${shared.host ? `This tab runs the model for ${tabs}` : `Another tab runs the model for ${tabs}`}
    >shared · ${role} · ${tabs}</span
  >`;
}

export function renderMessage(message: ShownMessage, label: string): TemplateResult {
  const user = message.role === 'user';
  const speaker = user ? 'You' : label;
  // Text bindings only: model output and user input are never parsed as HTML.
  const body = message.content
    ? html`<span class=${message.streaming ? 'cursor' : ''}>${message.content}</span>`
    : message.streaming
      ? html`<span class="typing" aria-hidden="true"><span></span><span></span><span></span></span
          ><span class="visually-hidden">${label} is typing</span>`
      : html`<span class="empty-reply">(no reply)</span>`;
  return html`<li
    class="message ${message.role}"
    part="message ${message.role}"
    aria-live=${user ? 'off' : 'polite'}
    aria-busy=${message.streaming ? 'true' : 'false'}
  >
    <span class="visually-hidden">${speaker}:</span>
    <div class="bubble" part="bubble">${body}</div>
    ${message.interrupted ? html`<span class="tag">Stopped</span>` : nothing}
  </li>`;
}

export function renderWelcome(label: string, onSuggestion: (text: string) => void): TemplateResult {
  return html`
    <span class="card-icon avatar" aria-hidden="true">${chipIcon}</span>
    <h3>Start a conversation</h3>
    <p>${label} runs entirely in this tab. Your messages never leave your device, and each tab keeps its own conversation.</p>
    <div class="suggestions">
      ${suggestions.map((text) => html`<button type="button" @click=${() => onSuggestion(text)}>${text}</button>`)}
    </div>
  `;
}

export function renderProgress(progressOf: ReadonlyMap<string, FileProgress>, model: string): TemplateResult {
  const files = [...progressOf.values()];
  const unfinished = files.filter((file) => file.total === 0 || file.loaded < file.total);
  // The biggest file still coming in is the one worth watching (the ONNX graph, usually).
  const current = unfinished.sort((a, b) => b.total - a.total)[0];
  const done = files.length > 0 && !current;
  const percent = current ? percentOf(current.loaded, current.total) : done ? 100 : 0;
  const known = current ? current.total > 0 : done;
  const label = current ? `Downloading ${current.file}` : done ? 'Starting the model' : 'Starting the engine';
  return html`
    <div class="progress-card" part="progress">
      <div class="file" title=${current?.file ?? ''}>${current ? current.file : done ? 'Preparing the model…' : 'Starting the engine…'}</div>
      <!-- A native <progress>: no style attribute to set, so it works under a strict CSP. -->
      <progress
        max="100"
        value=${known && !done ? percent : nothing}
        aria-label=${label}
        aria-valuetext=${current ? `${formatMegabytes(current.loaded)} of ${current.total ? formatMegabytes(current.total) : 'unknown'}` : label}
      ></progress>
      <div class="numbers">
        <span>${current
          ? current.total
            ? `${formatMegabytes(current.loaded)} / ${formatMegabytes(current.total)}${current.fromCache ? ' · from cache' : ''}`
            : formatMegabytes(current.loaded)
          : `${files.length} file${files.length === 1 ? '' : 's'} loaded`}</span>
        <span>${known ? `${percent}%` : ''}</span>
      </div>
    </div>
    <p>Loading ${model}. The files are cached, so the next visit starts faster.</p>
  `;
}

export function renderLoadError(error: Error | undefined, onReload: () => void): TemplateResult {
  return html`
    <div class="alert load-error" part="load-error error" role="alert">
      <strong>The model could not be loaded.</strong>
      <p class="details">${error ? `${error.name}: ${error.message}` : ''}</p>
      <button type="button" @click=${onReload}>${retryIcon}Try again</button>
    </div>
  `;
}

function deviceName(device: Device): string {
  return device === 'webgpu' ? 'WebGPU' : 'WASM';
}
