/** What was thrown, as an Error: a thrown string or value becomes an Error with that text. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
