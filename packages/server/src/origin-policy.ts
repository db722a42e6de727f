// Which pages may open a connection, checked at the HTTP upgrade. Browsers always send Origin on a
// WebSocket; a request without one is not from a browser page (a Node client, curl), and could claim
// any origin anyway, so it is let through to authorize(), which sees `origin: undefined`.
import type { IncomingMessage } from 'node:http';

/** `'*'`: any origin (set explicitly); a list of origins; absent: pages of the server's own host name. */
export type AllowOrigins = '*' | string[] | undefined;

export function originAllowed(request: IncomingMessage, allow: AllowOrigins): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allow === '*') return true;
  if (allow) return allow.some((allowed) => sameOrigin(allowed, origin));
  // Same host name, any port: the demo page on :8080 and the CLI server on :8787 of one machine.
  const host = request.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export function checkAllowOrigins(allow: unknown): AllowOrigins {
  if (allow === undefined || allow === '*') return allow;
  if (!Array.isArray(allow) || allow.some((origin) => typeof origin !== 'string' || !URL.canParse(origin))) {
    throw new TypeError(`tabwise state server: allowOrigins must be '*' or a list of origin URLs, got ${JSON.stringify(allow)}`);
  }
  return allow;
}
