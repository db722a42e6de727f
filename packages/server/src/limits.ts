// What one connection may ask of the server. Each limit refuses the request with GlobalStateLimitError
// (the connection stays up) and counts in the server's stats.
import type { LimitName } from '@tabwise/core/server-protocol';

export interface StateServerLimits {
  /** Largest value, as JSON, in bytes. Default 64 KiB. */
  valueBytes?: number;
  /** Longest namespace + key, in characters. Default 256. */
  keyLength?: number;
  /** Distinct keys one connection may use. Default 1000. */
  keysPerConnection?: number;
  /** Requests per second per connection (a burst of as many is allowed). Default 1000. */
  messagesPerSecond?: number;
  /** Largest frame, in bytes; a bigger one closes the connection (1009). Default 16 MiB. */
  frameBytes?: number;
}

export const defaultLimits: Required<StateServerLimits> = {
  valueBytes: 64 * 1024,
  keyLength: 256,
  keysPerConnection: 1000,
  messagesPerSecond: 1000,
  frameBytes: 16 * 1024 * 1024,
};

export function resolveLimits(limits: StateServerLimits = {}): Required<StateServerLimits> {
  const resolved = { ...defaultLimits, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`tabwise state server: limits.${name} must be a positive number, got ${String(value)}`);
  }
  return resolved;
}

/** A request refused by a limit or by authorize(): answered as a named error, the connection stays up. */
export class RequestRefused extends Error {
  constructor(
    readonly wireName: 'GlobalStateLimitError' | 'GlobalStateAccessError' | 'GlobalStateValueError',
    message: string,
    readonly limit?: LimitName,
  ) {
    super(message);
    this.name = 'RequestRefused';
  }
}

/** A token bucket: `perSecond` tokens a second, holding at most `perSecond`. */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
