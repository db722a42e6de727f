/**
 * Generation options: one camelCase shape for the library, the worker and the CLI, resolved and
 * validated once before a reply starts so a bad value fails fast with the option's name in the
 * message (instead of being silently ignored, as transformers.js does with `top_p`).
 */

/** How a reply is generated. Every field is optional; defaults are in defaultGenerationOptions. */
export interface GenerationOptions {
  /** Most tokens one reply may generate, an integer in [1, maxNewTokensLimit]. Default 64. */
  maxNewTokens?: number;
  /** Fewest tokens before an eos token may end the reply (eos is suppressed until then). Default 0. */
  minNewTokens?: number;
  /**
   * Sample from the processed distribution; false picks the most likely token (greedy). Default false.
   * Sampling with `temperature: 0` is greedy too.
   */
  doSample?: boolean;
  /** Divides the logits before sampling; >= 0, where 0 means greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens when sampling; an integer >= 0, 0 = off. Default 0 (off, unlike Hugging Face's 50). */
  topK?: number;
  /** Nucleus sampling: keep the fewest most likely tokens holding at least this probability; in (0, 1], 1 = off. Default 1. */
  topP?: number;
  /** Hugging Face's repetition penalty on every token already in the context; > 0, 1 = off. Default 1. */
  repetitionPenalty?: number;
  /** Never repeat an n-gram of this size already in the context; an integer >= 0, 0 = off. Default 0. */
  noRepeatNgramSize?: number;
  /** Seed for sampling, any safe integer; the same seed and inputs give the same reply. Default: a fresh random seed. */
  seed?: number;
}

/** Every option filled in; `seed` stays undefined when none was asked for. */
export interface ResolvedGenerationOptions extends Required<Omit<GenerationOptions, 'seed'>> {
  seed: number | undefined;
}

/** A DialoGPT context holds 1024 positions, so a longer reply could never fit. */
export const maxNewTokensLimit = 1024;

export const defaultGenerationOptions: Readonly<ResolvedGenerationOptions> = Object.freeze({
  maxNewTokens: 64,
  minNewTokens: 0,
  doSample: false,
  temperature: 1,
  topK: 0,
  topP: 1,
  repetitionPenalty: 1,
  noRepeatNgramSize: 0,
  seed: undefined,
});

type OptionName = keyof GenerationOptions;

const optionNames = Object.keys(defaultGenerationOptions) as OptionName[];

/**
 * Fills in defaults and validates: `options` wins over `defaults`, which wins over
 * defaultGenerationOptions; keys whose value is undefined count as absent.
 * Throws TypeError for a value of the wrong type and RangeError for a value out of range or an
 * unknown key; either message starts with the option's name.
 */
export function resolveGenerationOptions(
  options: GenerationOptions = {},
  defaults: GenerationOptions = {},
): ResolvedGenerationOptions {
  const resolved: ResolvedGenerationOptions = { ...defaultGenerationOptions };
  for (const source of [defaults, options]) {
    if (typeof source !== 'object' || source === null || Array.isArray(source)) {
      throw new TypeError(`generation options must be an object, got ${describe(source)}`);
    }
    for (const [key, value] of Object.entries(source)) {
      if (!optionNames.includes(key as OptionName)) throw unknownOption(key);
      if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
    }
  }
  validate(resolved);
  return resolved;
}

/** True when the sampler draws at random rather than taking the most likely token. */
export function isSampling(options: ResolvedGenerationOptions): boolean {
  return options.doSample && options.temperature > 0;
}

function validate(options: ResolvedGenerationOptions): void {
  const { maxNewTokens, minNewTokens } = options;
  checkInteger('maxNewTokens', maxNewTokens, 1, maxNewTokensLimit);
  checkInteger('minNewTokens', minNewTokens, 0, maxNewTokensLimit);
  if (minNewTokens > maxNewTokens) {
    throw new RangeError(`minNewTokens must be <= maxNewTokens (${maxNewTokens}), got ${minNewTokens}`);
  }
  if (typeof options.doSample !== 'boolean') {
    throw new TypeError(`doSample must be a boolean, got ${describe(options.doSample)}`);
  }
  checkNumber('temperature', options.temperature, (t) => t >= 0, 'must be >= 0');
  checkInteger('topK', options.topK, 0);
  checkNumber('topP', options.topP, (p) => p > 0 && p <= 1, 'must be in (0, 1]');
  checkNumber('repetitionPenalty', options.repetitionPenalty, (r) => r > 0, 'must be > 0');
  checkInteger('noRepeatNgramSize', options.noRepeatNgramSize, 0);
  if (options.seed !== undefined) checkInteger('seed', options.seed);
}

function checkNumber(name: OptionName, value: unknown, inRange: (value: number) => boolean, rule: string): void {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
  if (!inRange(value)) throw new RangeError(`${name} ${rule}, got ${value}`);
}

function checkInteger(name: OptionName, value: unknown, min = -Infinity, max = Infinity): void {
  const bounds = max < Infinity ? ` in [${min}, ${max}]` : min > -Infinity ? ` >= ${min}` : '';
  checkNumber(name, value, (n) => Number.isSafeInteger(n) && n >= min && n <= max, `must be an integer${bounds}`);
}

function unknownOption(key: string): RangeError {
  const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const hint = optionNames.includes(camel as OptionName) ? ` (did you mean ${camel}?)` : '';
  return new RangeError(`${key} is not a generation option${hint}; known: ${optionNames.join(', ')}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : typeof value;
}
