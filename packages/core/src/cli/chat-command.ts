// `tabwise chat`: one user turn per stdin line, one reply per turn, with the session's KV cache.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { resolveGenerationOptions } from '../generation/generation-options.js';
import { generationFlagSpec, generationOptionsFromFlags } from './generation-flags.js';
import { loadEngineForCli } from './load-engine-for-cli.js';

export const chatUsage = 'usage: tabwise chat --model <dir|url|hub-id> [--max-new-tokens N] [--greedy | --temperature T --top-k K --top-p P --seed S] [--json]   (one user turn per stdin line)';

export async function chatCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: generationFlagSpec, strict: true });
  const generation = resolveGenerationOptions(generationOptionsFromFlags(values));
  const engine = await loadEngineForCli(values);
  engine.openSession('cli');
  let failures = 0;
  try {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      try {
        const turn = await engine.reply('cli', line, generation);
        console.log(
          values.json
            ? JSON.stringify({ user: line, context_ids: turn.contextIds, reply_ids: turn.replyIds, reply: turn.reply })
            : `bot: ${turn.reply}`,
        );
        if (turn.notice) console.error(`note: ${turn.notice}`);
      } catch (error) {
        failures++;
        console.error(`${(error as Error).name}: ${(error as Error).message}`);
      }
    }
  } finally {
    await engine.dispose();
  }
  return failures ? 1 : 0;
}
