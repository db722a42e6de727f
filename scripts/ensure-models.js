// Makes the generated models the demos, tests and benchmarks need, once; reuses them when present.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx/cli');
const sizes = process.argv.slice(2).length ? process.argv.slice(2) : ['tiny'];

for (const size of sizes) {
  const out = `models/${size}`;
  if (existsSync(`${out}/onnx/model.onnx`) && existsSync(`${out}/tokenizer.json`) && existsSync(`${out}/onnx/model_quantized.onnx`)) continue;
  console.log(`Generating the ${size} DialoGPT-architecture model in ${out}/ …`);
  execFileSync(process.execPath, [tsx, 'packages/core/src/cli/make-test-model-main.ts', '--size', size, '--out', out], {
    stdio: 'inherit',
  });
}
