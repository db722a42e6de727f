// Attributes that map onto @tabwise/core options, checked with core's own validators so an element
// refuses exactly what createChat() and send() would refuse, with the same message.
import { checkShareMode, resolveGenerationOptions, validateLoadOptions, type GenerationOptions } from '@tabwise/core';
import { toError } from './to-error.js';

/** Generation options a <tabwise-chatbot> takes as attributes: property → attribute. */
export const generationAttributes = {
  maxNewTokens: 'max-new-tokens',
  temperature: 'temperature',
  topK: 'top-k',
  topP: 'top-p',
  doSample: 'do-sample',
} as const satisfies Partial<Record<keyof GenerationOptions, string>>;

export type GenerationProperty = keyof typeof generationAttributes;

/** Load options a <tabwise-chatbot> takes as attributes (their names are the same). */
export const loadAttributes = ['device', 'dtype', 'share'] as const;

export type LoadProperty = (typeof loadAttributes)[number];

/** The error a send would throw for this one generation option, or undefined when it is fine. */
export function generationOptionError(property: GenerationProperty, value: unknown): Error | undefined {
  return errorOf(() => resolveGenerationOptions({ [property]: value ?? undefined } as GenerationOptions));
}

/** What each load attribute means when absent. */
export const loadDefaults: Record<LoadProperty, string> = { device: 'auto', dtype: 'auto', share: 'tab' };

/** The error createChat() would throw for this device, dtype or share, or undefined when it is fine. */
export function loadOptionError(property: LoadProperty, value: unknown): Error | undefined {
  if (property === 'share') return errorOf(() => checkShareMode(value ?? 'tab'));
  return errorOf(() => validateLoadOptions({ [property]: value ?? undefined } as Parameters<typeof validateLoadOptions>[0]));
}

/** The effective generation options: core's defaults under `options`. */
export function effectiveGeneration(options: GenerationOptions): ReturnType<typeof resolveGenerationOptions> {
  return resolveGenerationOptions(options);
}

function errorOf(check: () => unknown): Error | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return toError(error);
  }
}
