/**
 * `tabwise make-test-model [--size tiny|small] [--out DIR] [--seed N] [--no-quantized]`
 *
 * Writes a DialoGPT-architecture model with seeded random weights (see model-maker/). Exit code 0
 * on success; otherwise 1 (failed write) or 2 (bad arguments), with exactly one line on stderr.
 */
import { parseArgs } from 'node:util';
import { makeTestModel, MakeTestModelError } from '../model-maker/make-test-model.js';
import { isModelSize, modelSizes } from '../model-maker/model-sizes.js';

export const makeTestModelUsage = 'usage: tabwise make-test-model [--size tiny|small] [--out DIR] [--seed N] [--no-quantized]';

/** Where the command writes; tests pass their own. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function makeTestModelCommand(argv: string[], output: CommandOutput = process): Promise<number> {
  const fail = (code: number, message: string) => {
    output.stderr.write(`make-test-model: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  };

  let values: { size?: string; out?: string; seed?: string; 'no-quantized'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        size: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        'no-quantized': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
    return fail(2, `${reason} (${makeTestModelUsage})`);
  }
  if (values.help) {
    output.stdout.write(`${makeTestModelUsage}\n`);
    return 0;
  }

  const size = values.size ?? 'tiny';
  if (!isModelSize(size)) return fail(2, `unknown --size "${size}" (expected ${Object.keys(modelSizes).join(' or ')})`);
  const seedText = values.seed ?? '0';
  const seed = /^\d+$/.test(seedText) ? Number(seedText) : NaN;
  if (!Number.isInteger(seed) || seed > 0xffffffff) return fail(2, `--seed must be an integer from 0 to 4294967295, got "${seedText}"`);
  const outDir = values.out ?? `models/${size}`;
  if (outDir === '') return fail(2, '--out must not be empty');

  const started = performance.now();
  try {
    const result = await makeTestModel({ size, outDir, seed, quantized: !values['no-quantized'] });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    output.stdout.write(`make-test-model: wrote ${size} (seed ${seed}) to ${outDir} in ${seconds} s\n`);
    for (const file of result.files) output.stdout.write(`  ${file.path}  ${formatBytes(file.bytes)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof MakeTestModelError) return fail(1, error.message);
    return fail(1, error instanceof Error ? error.message : String(error));
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
