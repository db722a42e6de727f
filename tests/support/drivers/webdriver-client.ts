// A minimal W3C WebDriver (classic) client over HTTP: the handful of commands the WebKit driver needs.
export class WebDriverError extends Error {
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`WebDriver ${command}: ${error}: ${message}`);
    this.name = 'WebDriverError';
  }
}

export type ElementReference = Record<string, string>;

export class WebDriverSession {
  // Classic WebDriver handles one command at a time per session: commands queue here.
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly baseUrl: string,
    readonly id: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  static async create(baseUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const value = await send(baseUrl, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new WebDriverSession(baseUrl, value.sessionId, value.capabilities);
  }

  /** Runs `steps` with the session to itself (for switch-window-then-act sequences). */
  exclusive<T>(steps: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(steps, steps);
    this.#queue = run.catch(() => {});
    return run;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
    return send(this.baseUrl, method, `/session/${this.id}${path}`, body);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function send(baseUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({ value: { error: 'bad response', message: response.statusText } }));
  if (!response.ok) throw new WebDriverError(`${method} ${path.replace(/^\/session\/[^/]+/, '')}`, payload.value?.error, payload.value?.message);
  return payload.value;
}
