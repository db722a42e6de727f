// Flags shared by `tabwise generate` and `tabwise chat`, mapped onto GenerationOptions.
import type { GenerationOptions } from '../generation/generation-options.js';

export const generationFlagSpec = {
  model: { type: 'string' },
  revision: { type: 'string' },
  dtype: { type: 'string' },
  'max-new-tokens': { type: 'string' },
  greedy: { type: 'boolean' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  'repetition-penalty': { type: 'string' },
  'no-repeat-ngram-size': { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type GenerationFlags = Partial<Record<keyof typeof generationFlagSpec, string | boolean>>;

/** A number flag; the option's own validation reports ranges with the option's name. */
function numberFlag(flags: GenerationFlags, name: keyof typeof generationFlagSpec): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || Number.isNaN(value)) throw new TypeError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

export function generationOptionsFromFlags(flags: GenerationFlags): GenerationOptions {
  const sampling = ['temperature', 'top-k', 'top-p', 'seed'].some((name) => flags[name as keyof GenerationFlags] !== undefined);
  return {
    maxNewTokens: numberFlag(flags, 'max-new-tokens'),
    doSample: sampling && !flags.greedy,
    temperature: numberFlag(flags, 'temperature'),
    topK: numberFlag(flags, 'top-k'),
    topP: numberFlag(flags, 'top-p'),
    repetitionPenalty: numberFlag(flags, 'repetition-penalty'),
    noRepeatNgramSize: numberFlag(flags, 'no-repeat-ngram-size'),
    seed: numberFlag(flags, 'seed'),
  };
}
