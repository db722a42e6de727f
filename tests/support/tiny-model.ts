// The generated tiny model that `npm test` makes before the tests run (scripts/ensure-models.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const tinyModelDir = fileURLToPath(new URL('../../models/tiny/', import.meta.url));

export function requireTinyModel(): string {
  if (!existsSync(`${tinyModelDir}onnx/model.onnx`)) {
    throw new Error('models/tiny is missing: run `node scripts/ensure-models.js tiny` (npm test does)');
  }
  return tinyModelDir;
}
