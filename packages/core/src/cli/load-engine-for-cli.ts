// The engine as the CLI runs it: onnxruntime-web's WASM backend in Node, progress on stderr.
import { availableParallelism } from 'node:os';
import { Engine } from '../engine/engine.js';
import type { DtypeRequest } from '../engine/load-model.js';

export async function loadEngineForCli(flags: { model?: string; revision?: string; dtype?: string }): Promise<Engine> {
  if (!flags.model) throw new TypeError('--model is required (a directory, a URL or a Hub id)');
  return Engine.load({
    model: flags.model,
    revision: flags.revision,
    device: 'wasm',
    dtype: (flags.dtype ?? 'auto') as DtypeRequest,
    numThreads: Math.min(4, availableParallelism()),
  });
}
