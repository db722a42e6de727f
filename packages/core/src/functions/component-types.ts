// The component types an input or output may declare, as Gradio names them, with the check a
// value of each must pass. 'state' is not a value the page sends: the worker fills it in.

export type ComponentType = 'text' | 'number' | 'json' | 'chatbot' | 'state';

/** What a chatbot component holds: Gradio's [user, bot] pairs, or {role, content} messages. */
export type ChatbotValue = [string | null, string | null][] | { role: 'user' | 'assistant'; content: string }[];

interface ComponentCheck {
  /** "a number", "a string", … for error messages. */
  expected: string;
  accepts(value: unknown): boolean;
}

const checks: Record<Exclude<ComponentType, 'state'>, ComponentCheck> = {
  text: { expected: 'a string', accepts: (value) => typeof value === 'string' },
  number: { expected: 'a finite number', accepts: (value) => typeof value === 'number' && Number.isFinite(value) },
  // Anything the structured clone carried here is JSON-like enough.
  json: { expected: 'any value', accepts: () => true },
  chatbot: { expected: 'an array of [user, bot] pairs or {role, content} messages', accepts: isChatbotValue },
};

/** The types of values that cross between page and worker: every type but 'state'. */
export const valueComponentTypes = Object.freeze(Object.keys(checks)) as readonly Exclude<ComponentType, 'state'>[];
export const componentTypes: readonly ComponentType[] = [...valueComponentTypes, 'state'];

export function isComponentType(value: unknown): value is ComponentType {
  return typeof value === 'string' && (componentTypes as readonly string[]).includes(value);
}

export function componentCheck(type: Exclude<ComponentType, 'state'>): ComponentCheck {
  return checks[type];
}

function isChatbotValue(value: unknown): boolean {
  if (value === null || value === undefined) return true; // an empty chat, as Gradio's None
  if (!Array.isArray(value)) return false;
  return value.every((item) =>
    Array.isArray(item)
      ? item.length === 2 && item.every((text) => text === null || typeof text === 'string')
      : typeof item === 'object' && item !== null && typeof item.content === 'string' && (item.role === 'user' || item.role === 'assistant'),
  );
}

/** How an error message shows a value's type: "a string", "null", "an array". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
