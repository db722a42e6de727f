// Line icons (24×24, stroked with currentColor) for the elements' buttons; decorative only.
import { svg, type SVGTemplateResult } from 'lit';

const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const sendIcon = icon(svg`<path d="M5 12h13"/><path d="m12 5 7 7-7 7"/>`);
export const stopIcon = icon(svg`<rect x="6" y="6" width="12" height="12" rx="2"/>`);
export const retryIcon = icon(svg`<path d="M3 12a9 9 0 1 0 3-6.7"/><path d="M3 4v5h5"/>`);
export const clearIcon = icon(svg`<path d="M4 7h16"/><path d="M10 11v6M14 11v6"/><path d="M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12"/><path d="M9 7V4h6v3"/>`);
export const chipIcon = icon(svg`<rect x="5" y="5" width="14" height="14" rx="2"/><path d="M9 9h6v6H9z"/><path d="M9 2v3M15 2v3M9 19v3M15 19v3M2 9h3M2 15h3M19 9h3M19 15h3"/>`);
export const trophyIcon = icon(svg`<path d="M8 21h8M12 17v4"/><path d="M7 4h10v5a5 5 0 0 1-10 0V4z"/><path d="M17 5h3v2a3 3 0 0 1-3 3M7 5H4v2a3 3 0 0 0 3 3"/>`);
export const arrowDownIcon = icon(svg`<path d="M12 5v14"/><path d="m19 12-7 7-7-7"/>`);
