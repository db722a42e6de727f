// `tabwise generate`: one prompt in, new tokens out.
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { resolveGenerationOptions } from '../generation/generation-options.js';
import { generationFlagSpec, generationOptionsFromFlags } from './generation-flags.js';
import { loadEngineForCli } from './load-engine-for-cli.js';

export const generateUsage = 'usage: tabwise generate --model <dir|url|hub-id> (--prompt TEXT | --prompt-ids 1,2,3) [--max-new-tokens N] [--greedy | --temperature T --top-k K --top-p P --seed S] [--json]';

export async function generateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...generationFlagSpec, prompt: { type: 'string' }, 'prompt-ids': { type: 'string' } },
    strict: true,
  });
  if ((values.prompt === undefined) === (values['prompt-ids'] === undefined)) throw new TypeError(`give exactly one of --prompt or --prompt-ids\n${generateUsage}`);
  const generation = resolveGenerationOptions(generationOptionsFromFlags(values));
  const engine: Engine = await loadEngineForCli(values);
  try {
    const inputIds =
      values.prompt !== undefined
        ? [...engine.tokenizer.encodeText(values.prompt), engine.eosTokenId] // a DialoGPT turn
        : parseIds(values['prompt-ids']!);
    const outputIds = await engine.generateIds(inputIds, generation);
    const text = engine.tokenizer.decode(outputIds);
    console.log(values.json ? JSON.stringify({ input_ids: inputIds, output_ids: outputIds, text }) : text);
    return 0;
  } finally {
    await engine.dispose();
  }
}

function parseIds(raw: string): number[] {
  const ids = raw.split(',').map((part) => part.trim());
  if (ids.some((id) => !/^\d+$/.test(id))) throw new TypeError(`--prompt-ids must be comma-separated token ids, got ${JSON.stringify(raw)}`);
  return ids.map(Number);
}
