/** Every id tabwise makes (lock names, sessions, clients): 128 random bits as hex. crypto.randomUUID() would need a secure context. */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
