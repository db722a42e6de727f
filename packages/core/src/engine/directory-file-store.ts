// Node only: a model in a local directory, as `tabwise generate --model ./models/tiny` uses it.
import { FileReadError, type ModelFileStore, type ProgressCallback } from './file-store.js';
import { PhaseProfile } from './phase-profile.js';

export class DirectoryFileStore implements ModelFileStore {
  constructor(
    private readonly directory: string,
    private readonly profile = PhaseProfile.off,
  ) {}

  locate(file: string): string {
    return this.directory + file;
  }

  async read(file: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array> {
    const { readFile } = await import('node:fs/promises');
    try {
      const bytes = new Uint8Array(await this.profile.time('fileRead', () => readFile(this.locate(file), { signal })));
      onProgress?.({ file, loaded: bytes.length, total: bytes.length });
      return bytes;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FileReadError(this.locate(file), code === 'ENOENT' ? 'no such file' : String(error), code === 'ENOENT');
    }
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  if (typeof process === 'undefined' || !process.versions?.node) return false;
  const { stat } = await import('node:fs/promises');
  return stat(path).then((s) => s.isDirectory(), () => false);
}
