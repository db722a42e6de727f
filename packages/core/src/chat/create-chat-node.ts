// createChat() in Node: the same API, the engine in this process on onnxruntime-web's WASM build.
// `model` may also be a local directory: absolute, relative to the working directory, or a file: URL.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDirectory } from '../engine/directory-file-store.js';
import { defaultModel, defaultRevision, resolveModelSource } from '../engine/model-source.js';
import { Chat } from './chat.js';
import { chatRequest, type ChatOptions } from './create-chat.js';
import { InProcessLink } from './in-process-link.js';

export async function createChat(options: ChatOptions = {}): Promise<Chat> {
  const { model = defaultModel, revision = defaultRevision } = options;
  const { request, generation } = chatRequest(options, model);
  request.model = await nodeModelLocation(model, revision);
  const numThreads = Math.min(4, availableParallelism());
  const share = {
    requested: options.share ?? 'tab',
    mode: 'tab' as const,
    reason: options.share === 'origin' ? "share: 'origin' is for browser tabs; in Node the engine runs in this process" : '',
  };
  return Chat.create({ request, generation, startLink: () => new InProcessLink({ numThreads }), onProgress: options.onProgress, share });
}

/** A directory's absolute path, or the model as given once it is known to be a Hub id or URL. */
async function nodeModelLocation(model: string, revision: string): Promise<string> {
  if (typeof model === 'string' && model.startsWith('file:')) {
    const path = fileURLToPath(model);
    if (await isDirectory(path)) return path;
    throw new TypeError(`model ${JSON.stringify(model)} is a file: URL, but ${path} is not a directory`);
  }
  if (typeof model === 'string' && (await isDirectory(resolve(model)))) return resolve(model);
  resolveModelSource(model, revision); // throws the named error for anything else
  return model;
}
