// Where a model's files come from: a Hub id, any base URL, or (in Node) a local directory.
import { UnsafeModelUrlError } from '../errors.js';

export const defaultModel = 'onnx-community/DialoGPT-small-ONNX';
export const defaultRevision = 'main';
export const hubOrigin = 'https://huggingface.co';

export type ModelSource = { kind: 'url'; baseUrl: string } | { kind: 'directory'; path: string };

/** `org/name`, as the Hugging Face Hub names a model. */
export function isHubId(model: string): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(model);
}

/**
 * Resolves a `model` option. In a page, URLs are fetched only over https or from the page's own
 * origin; other schemes (http elsewhere, file:, data:, javascript:) are refused.
 */
export function resolveModelSource(model = defaultModel, revision = defaultRevision, isDirectory?: (path: string) => boolean): ModelSource {
  if (typeof model !== 'string' || model.trim() === '') throw new TypeError('model must be a non-empty string');
  if (typeof revision !== 'string' || !/^[\w./-]+$/.test(revision)) throw new TypeError(`revision ${JSON.stringify(revision)} is not a valid revision`);
  const pageOrigin = typeof location === 'object' && location ? location.origin : undefined;

  if (isHubId(model) && !isDirectory?.(model)) {
    return { kind: 'url', baseUrl: `${hubOrigin}/${model}/resolve/${encodeURIComponent(revision)}/` };
  }
  if (isDirectory?.(model)) return { kind: 'directory', path: model.replace(/\/?$/, '/') };

  let url: URL;
  try {
    url = new URL(model, pageOrigin ? location.href : undefined);
  } catch {
    throw new TypeError(`model ${JSON.stringify(model)} is neither a Hub id (org/name), a URL nor a directory`);
  }
  const sameOrigin = pageOrigin !== undefined && url.origin === pageOrigin;
  const allowed = url.protocol === 'https:' || sameOrigin || (pageOrigin === undefined && url.protocol === 'http:');
  if (!allowed) {
    throw new UnsafeModelUrlError(`refusing to load a model from ${url.protocol}//${url.host}: only https or same-origin URLs are allowed`);
  }
  url.search = '';
  url.hash = '';
  return { kind: 'url', baseUrl: url.href.replace(/\/?$/, '/') };
}
